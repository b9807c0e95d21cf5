//! Envelopes, status codes, encodings, the call log and injected failures.

use std::time::Duration;

use serde_json::json;
use steward_telegram_testserver::Failure;

use crate::harness::{Api, GROUP, TOKEN};

#[tokio::test]
async fn get_me_answers_in_the_ok_envelope() {
    let api = Api::new().await;
    let (status, body) = api.call("getMe", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(body["ok"], true);
    assert_eq!(body["result"]["id"], 100);
    assert_eq!(body["result"]["is_bot"], true);
    assert_eq!(body["result"]["username"], "steward_test_bot");
}

#[tokio::test]
async fn unknown_tokens_are_unauthorized() {
    let api = Api::new().await;
    let url = api.server.method_url("999:wrong", "getMe");
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(url)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"ok": false, "error_code": 401, "description": "Unauthorized"})
    );
}

#[tokio::test]
async fn unknown_methods_and_paths_are_not_found() {
    let api = Api::new().await;
    let (status, body) = api.call("sendTelepathy", json!({})).await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        json!({"ok": false, "error_code": 404, "description": "Not Found"})
    );
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("{}/nothing/here", api.server.api_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn method_names_ignore_case() {
    let api = Api::new().await;
    assert_eq!(api.ok("getme", json!({})).await["id"], 100);
    assert_eq!(api.server.calls_to("getMe").len(), 1);
    assert_eq!(api.server.calls()[0].method, "getMe");
}

#[tokio::test]
async fn parameters_come_as_json_form_or_query() {
    let api = Api::new().await;
    let markup = r#"{"inline_keyboard":[[{"text":"OK","callback_data":"ok"}]]}"#;
    let (status, body) = api
        .form(
            "sendMessage",
            &[
                ("chat_id", &GROUP.to_string()),
                ("text", "form"),
                ("reply_markup", markup),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["result"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "ok"
    );

    let (status, body) = api
        .get(
            "sendMessage",
            &[("chat_id", &GROUP.to_string()), ("text", "query")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["text"], "query");

    api.ok("sendMessage", json!({"chat_id": GROUP, "text": "json"}))
        .await;
    let texts: Vec<_> = api
        .server
        .sent_messages(GROUP)
        .iter()
        .map(|m| m["text"].clone())
        .collect();
    assert_eq!(texts, [json!("form"), json!("query"), json!("json")]);
}

#[tokio::test]
async fn calls_are_recorded_with_their_parameters() {
    let api = Api::new().await;
    api.form(
        "sendMessage",
        &[
            ("chat_id", &GROUP.to_string()),
            ("text", "hi"),
            ("disable_notification", "true"),
        ],
    )
    .await;
    api.ok(
        "sendMessage",
        json!({"chat_id": GROUP, "text": "there", "reply_markup": {"inline_keyboard": []}}),
    )
    .await;
    let calls = api.server.calls_to("sendMessage");
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].token, TOKEN);
    assert_eq!(calls[0].params["chat_id"], GROUP.to_string());
    assert_eq!(calls[0].param_i64("chat_id"), Some(GROUP));
    assert_eq!(calls[0].param_bool("disable_notification"), Some(true));
    assert_eq!(calls[1].param_i64("chat_id"), Some(GROUP));
    assert_eq!(calls[1].param_str("text").as_deref(), Some("there"));
    assert_eq!(
        calls[1].param_json("reply_markup"),
        Some(json!({"inline_keyboard": []}))
    );
    assert!(calls[0].at <= calls[1].at);
}

#[tokio::test]
async fn injected_429_has_the_documented_shape() {
    let api = Api::new().await;
    api.server
        .fail_next("sendMessage", Failure::TooManyRequests { retry_after: 3 });
    let (status, body) = api
        .call("sendMessage", json!({"chat_id": GROUP, "text": "x"}))
        .await;
    assert_eq!(status, 429);
    assert_eq!(
        body,
        json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 3",
               "parameters": {"retry_after": 3}})
    );
    // Only the next call fails; the failed call is still recorded.
    api.ok("sendMessage", json!({"chat_id": GROUP, "text": "x"}))
        .await;
    assert_eq!(api.server.calls_to("sendMessage").len(), 2);
    assert_eq!(api.server.sent_messages(GROUP).len(), 1);
}

#[tokio::test]
async fn injected_failures_queue_in_order() {
    let api = Api::new().await;
    api.server.fail_next(
        "deleteMessage",
        Failure::Error {
            code: 403,
            description: "Forbidden: bot was kicked from the supergroup chat".into(),
        },
    );
    api.server.fail_next(
        "deleteMessage",
        Failure::MigrateToChat {
            migrate_to_chat_id: -1_009_999,
        },
    );
    let (code, description) = api
        .err("deleteMessage", json!({"chat_id": GROUP, "message_id": 1}))
        .await;
    assert_eq!(
        (code, description.as_str()),
        (403, "Forbidden: bot was kicked from the supergroup chat")
    );
    let (status, body) = api
        .call("deleteMessage", json!({"chat_id": GROUP, "message_id": 1}))
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["description"],
        "Bad Request: group chat was upgraded to a supergroup chat"
    );
    assert_eq!(body["parameters"]["migrate_to_chat_id"], -1_009_999);
    let (_, description) = api
        .err("deleteMessage", json!({"chat_id": GROUP, "message_id": 1}))
        .await;
    assert_eq!(description, "Bad Request: message to delete not found");
}

#[tokio::test]
async fn malformed_json_bodies_are_bad_requests() {
    let api = Api::new().await;
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(api.url("sendMessage"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn wait_for_call_returns_once_enough_calls_arrived() {
    let api = Api::new().await;
    let server = api.server.clone();
    let waiter = tokio::spawn(async move {
        server
            .wait_for_call("getMe", 2, Duration::from_secs(1))
            .await
    });
    api.ok("getMe", json!({})).await;
    api.ok("getMe", json!({})).await;
    assert_eq!(waiter.await.unwrap().len(), 2);
}

#[tokio::test]
async fn wait_for_call_panics_with_the_calls_seen() {
    let api = Api::new().await;
    api.ok("getMe", json!({})).await;
    let server = api.server.clone();
    let waiter = tokio::spawn(async move {
        server
            .wait_for_call("banChatMember", 1, Duration::from_millis(100))
            .await
    });
    let panic = waiter.await.unwrap_err().into_panic();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("waiting for 1 call(s) to banChatMember"),
        "{message}"
    );
    assert!(message.contains("getMe"), "{message}");
}
