//! setWebhook / deleteWebhook / getWebhookInfo and delivery: secret header, retries, conflicts.

use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::{Api, TOKEN, webhook_receiver};

const WEBHOOK_ACTIVE: &str = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

#[tokio::test]
async fn updates_are_posted_with_the_secret_header() {
    let api = Api::new().await;
    let (url, received) = webhook_receiver(vec![200]).await;
    let (status, body) = api
        .call(
            "setWebhook",
            json!({"url": url, "secret_token": "s3cr3t_-X"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"ok": true, "result": true, "description": "Webhook was set"})
    );
    let id = api.push_group_message(5, 1, "hook me");
    let attempts = api
        .server
        .wait_for_webhook_attempts(1, Duration::from_secs(1))
        .await;
    assert_eq!(attempts[0].status, Some(200));
    assert_eq!(attempts[0].update_id, id);
    assert_eq!(attempts[0].secret_token.as_deref(), Some("s3cr3t_-X"));
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let (headers, body) = &received[0];
    assert_eq!(headers["x-telegram-bot-api-secret-token"], "s3cr3t_-X");
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(body["update_id"], id);
    assert_eq!(body["message"]["text"], "hook me");
    assert!(api.server.pending_updates(TOKEN).is_empty());
}

#[tokio::test]
async fn no_secret_means_no_header() {
    let api = Api::new().await;
    let (url, received) = webhook_receiver(vec![200]).await;
    api.ok("setWebhook", json!({"url": url})).await;
    api.push_group_message(5, 1, "x");
    api.server
        .wait_for_webhook_attempts(1, Duration::from_secs(1))
        .await;
    assert!(
        received.lock().unwrap()[0]
            .0
            .get("x-telegram-bot-api-secret-token")
            .is_none()
    );
}

#[tokio::test]
async fn failed_deliveries_are_retried_until_accepted() {
    let api = Api::new().await;
    api.server.set_webhook_retry(Duration::from_millis(50), 5);
    let (url, received) = webhook_receiver(vec![500, 502, 200]).await;
    api.ok("setWebhook", json!({"url": url, "secret_token": "abc"}))
        .await;
    let id = api.push_group_message(5, 1, "retry me");
    let attempts = api
        .server
        .wait_for_webhook_attempts(3, Duration::from_secs(1))
        .await;
    let statuses: Vec<_> = attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(500), Some(502), Some(200)]);
    assert!(attempts.iter().all(|a| a.update_id == id));
    assert!(attempts[2].succeeded() && !attempts[0].succeeded());
    assert!(attempts[1].at.duration_since(attempts[0].at) >= Duration::from_millis(45));
    assert_eq!(received.lock().unwrap().len(), 3);
    assert!(api.server.pending_updates(TOKEN).is_empty());
    let info = api.ok("getWebhookInfo", json!({})).await;
    assert_eq!(info["url"], url);
    assert_eq!(info["pending_update_count"], 0);
    assert_eq!(
        info["last_error_message"],
        "Wrong response from the webhook: 502 Bad Gateway"
    );
    assert!(info["last_error_date"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn updates_stay_queued_when_the_webhook_is_unreachable() {
    let api = Api::new().await;
    api.server.set_webhook_retry(Duration::from_millis(20), 3);
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", closed.local_addr().unwrap());
    drop(closed);
    api.ok("setWebhook", json!({"url": url})).await;
    api.push_group_message(5, 1, "lost?");
    let attempts = api
        .server
        .wait_for_webhook_attempts(3, Duration::from_secs(1))
        .await;
    assert!(
        attempts
            .iter()
            .all(|a| a.status.is_none() && a.error.is_some())
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        api.server.webhook_attempts().len(),
        3,
        "gives up after the configured attempts"
    );
    assert_eq!(
        api.ok("getWebhookInfo", json!({})).await["pending_update_count"],
        1
    );

    // After deleteWebhook, getUpdates gets the update that was never delivered.
    let (status, body) = api.call("deleteWebhook", json!({})).await;
    assert_eq!(
        (status, body["description"].clone()),
        (200, json!("Webhook was deleted"))
    );
    assert_eq!(
        api.ok("getUpdates", json!({})).await[0]["message"]["text"],
        "lost?"
    );
}

#[tokio::test]
async fn get_updates_conflicts_with_an_active_webhook() {
    let api = Api::new().await;
    let (url, _) = webhook_receiver(vec![200]).await;
    api.ok("setWebhook", json!({"url": url})).await;
    let (status, body) = api.call("getUpdates", json!({})).await;
    assert_eq!(status, 409);
    assert_eq!(
        body,
        json!({"ok": false, "error_code": 409, "description": WEBHOOK_ACTIVE})
    );
    api.ok("deleteWebhook", json!({})).await;
    assert_eq!(api.ok("getUpdates", json!({})).await, json!([]));
}

#[tokio::test]
async fn set_webhook_ends_a_running_long_poll() {
    let api = Api::new().await;
    let poll = {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let url = api.url("getUpdates");
        tokio::spawn(async move {
            let response = http
                .post(url)
                .json(&json!({"timeout": 3}))
                .send()
                .await
                .unwrap();
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap(),
            )
        })
    };
    api.server
        .wait_for_call("getUpdates", 1, Duration::from_secs(1))
        .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let (url, _) = webhook_receiver(vec![200]).await;
    api.ok("setWebhook", json!({"url": url})).await;
    let (status, body) = tokio::time::timeout(Duration::from_secs(1), poll)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, 409);
    assert_eq!(
        body["description"],
        "Conflict: terminated by setWebhook request"
    );
}

#[tokio::test]
async fn set_webhook_validates_its_parameters() {
    let api = Api::new().await;
    let (url, _) = webhook_receiver(vec![200]).await;
    let (code, description) = api
        .err(
            "setWebhook",
            json!({"url": url, "secret_token": "no spaces"}),
        )
        .await;
    assert_eq!(
        (code, description.as_str()),
        (
            400,
            "Bad Request: secret token contains unallowed characters"
        )
    );
    let (_, description) = api
        .err(
            "setWebhook",
            json!({"url": url, "secret_token": "a".repeat(257)}),
        )
        .await;
    assert_eq!(description, "Bad Request: secret token is too long");
    let (_, description) = api.err("setWebhook", json!({"url": "not a url"})).await;
    assert_eq!(description, "Bad Request: invalid webhook URL specified");
    api.ok(
        "setWebhook",
        json!({"url": url, "secret_token": "a".repeat(256), "max_connections": 10}),
    )
    .await;
    let (_, body) = api
        .call(
            "setWebhook",
            json!({"url": url, "secret_token": "a".repeat(256), "max_connections": 10}),
        )
        .await;
    assert_eq!(body["description"], "Webhook is already set");
}

#[tokio::test]
async fn webhook_info_reports_settings_and_drop_pending_updates_clears() {
    let api = Api::new().await;
    let info = api.ok("getWebhookInfo", json!({})).await;
    assert_eq!(
        info,
        json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0})
    );
    api.push_group_message(5, 1, "old");
    let (url, received) = webhook_receiver(vec![200]).await;
    api.ok(
        "setWebhook",
        json!({"url": url, "drop_pending_updates": true, "allowed_updates": ["message", "chat_member"], "max_connections": 5}),
    )
    .await;
    let info = api.ok("getWebhookInfo", json!({})).await;
    assert_eq!(info["url"], url);
    assert_eq!(info["max_connections"], 5);
    assert_eq!(info["allowed_updates"], json!(["message", "chat_member"]));
    assert_eq!(info["pending_update_count"], 0);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        received.lock().unwrap().is_empty(),
        "dropped updates are not delivered"
    );
}

#[tokio::test]
async fn webhook_respects_allowed_updates() {
    let api = Api::new().await;
    let (url, received) = webhook_receiver(vec![200]).await;
    api.ok("setWebhook", json!({"url": url})).await;
    let group = steward_telegram_testserver::updates::group(crate::harness::GROUP, "g");
    let ann = steward_telegram_testserver::updates::user(1, "Ann", "");
    api.server.push_update(
        TOKEN,
        steward_telegram_testserver::updates::chat_member_update(
            &group, &ann, &ann, "left", "member", None,
        ),
    );
    api.push_group_message(1, 1, "visible");
    api.server
        .wait_for_webhook_attempts(1, Duration::from_secs(1))
        .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let received = received.lock().unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].1["message"]["text"], "visible");
}
