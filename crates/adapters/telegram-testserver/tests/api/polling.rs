//! getUpdates: confirmation by offset, negative offsets, limit, long polling, allowed_updates
//! and the conflicts.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use steward_telegram_testserver::updates;

use crate::harness::{Api, GROUP, TOKEN};

fn ids(result: &Value) -> Vec<i64> {
    result
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["update_id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn updates_stay_until_confirmed_by_a_higher_offset() {
    let api = Api::new().await;
    for n in 1..=3 {
        assert_eq!(api.push_group_message(7, n, "hi"), n);
    }
    assert_eq!(ids(&api.ok("getUpdates", json!({})).await), [1, 2, 3]);
    // Not confirmed yet: the same updates again.
    assert_eq!(ids(&api.ok("getUpdates", json!({})).await), [1, 2, 3]);
    assert_eq!(ids(&api.ok("getUpdates", json!({"offset": 3})).await), [3]);
    // Updates 1 and 2 are gone for good.
    assert_eq!(ids(&api.ok("getUpdates", json!({})).await), [3]);
    assert_eq!(
        ids(&api.ok("getUpdates", json!({"offset": 4})).await),
        Vec::<i64>::new()
    );
    assert!(api.server.pending_updates(TOKEN).is_empty());
}

#[tokio::test]
async fn update_ids_are_kept_when_given_and_continue_after_them() {
    let api = Api::new().await;
    let group = updates::group(GROUP, "g");
    let ann = updates::user(1, "Ann", "ann");
    let mut update = updates::message(&group, &ann, 1, 0, "x");
    update["update_id"] = json!(500);
    assert_eq!(api.server.push_update(TOKEN, update), 500);
    assert_eq!(api.push_group_message(1, 2, "y"), 501);
    let result = api.ok("getUpdates", json!({})).await;
    assert_eq!(ids(&result), [500, 501]);
    assert_eq!(result[0]["message"]["text"], "x");
}

#[tokio::test]
async fn negative_offsets_keep_only_the_last_updates() {
    let api = Api::new().await;
    for n in 1..=5 {
        api.push_group_message(7, n, "hi");
    }
    assert_eq!(
        ids(&api.ok("getUpdates", json!({"offset": -2})).await),
        [4, 5]
    );
    assert_eq!(ids(&api.ok("getUpdates", json!({})).await), [4, 5]);
}

#[tokio::test]
async fn limit_caps_the_batch_and_is_clamped() {
    let api = Api::new().await;
    for n in 1..=3 {
        api.push_group_message(7, n, "hi");
    }
    assert_eq!(
        ids(&api.ok("getUpdates", json!({"limit": 2})).await),
        [1, 2]
    );
    assert_eq!(ids(&api.ok("getUpdates", json!({"limit": 0})).await), [1]);
    assert_eq!(
        ids(&api.ok("getUpdates", json!({"limit": 1000})).await),
        [1, 2, 3]
    );
    let (code, _) = api.err("getUpdates", json!({"limit": "many"})).await;
    assert_eq!(code, 400);
}

#[tokio::test]
async fn long_poll_returns_empty_after_the_timeout() {
    let api = Api::new().await;
    let started = Instant::now();
    let result = api.ok("getUpdates", json!({"timeout": 1})).await;
    let waited = started.elapsed();
    assert_eq!(result, json!([]));
    assert!(
        waited >= Duration::from_millis(950),
        "returned after {waited:?}"
    );
    assert!(
        waited < Duration::from_millis(1800),
        "returned after {waited:?}"
    );
}

#[tokio::test]
async fn long_poll_returns_as_soon_as_an_update_arrives() {
    let api = Api::new().await;
    let server = api.server.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let group = updates::group(GROUP, "g");
        server.push_update(
            TOKEN,
            updates::message(&group, &updates::user(1, "A", ""), 1, 0, "late"),
        );
    });
    let started = Instant::now();
    let (_, body) = api.form("getUpdates", &[("timeout", "5")]).await;
    assert_eq!(body["result"][0]["message"]["text"], "late");
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn opt_in_update_types_need_allowed_updates() {
    let api = Api::new().await;
    let group = updates::group(GROUP, "g");
    let ann = updates::user(1, "Ann", "ann");
    api.server.push_update(
        TOKEN,
        updates::chat_member_update(&group, &ann, &ann, "left", "member", None),
    );
    api.server.push_update(
        TOKEN,
        updates::message_reaction(&group, &ann, 1, &[], &["👍"]),
    );
    api.push_group_message(1, 2, "text");
    // Default (unset): chat_member and message_reaction are left out, and dropped.
    let result = api.ok("getUpdates", json!({})).await;
    assert_eq!(ids(&result), [3]);
    assert!(result[0].get("message").is_some());

    api.server.push_update(
        TOKEN,
        updates::chat_member_update(&group, &ann, &ann, "member", "left", None),
    );
    api.push_group_message(1, 3, "again");
    let result = api
        .ok(
            "getUpdates",
            json!({"offset": 4, "allowed_updates": ["chat_member"]}),
        )
        .await;
    assert_eq!(ids(&result), [4]);
    assert_eq!(
        result[0]["chat_member"]["new_chat_member"]["status"],
        "left"
    );

    // The list is remembered when not given.
    api.server.push_update(
        TOKEN,
        updates::message_reaction(&group, &ann, 1, &["👍"], &[]),
    );
    api.server.push_update(
        TOKEN,
        updates::chat_member_update(&group, &ann, &ann, "left", "member", None),
    );
    assert_eq!(ids(&api.ok("getUpdates", json!({"offset": 5})).await), [7]);

    // An empty list goes back to the default set.
    api.server.push_update(
        TOKEN,
        updates::chat_member_update(&group, &ann, &ann, "member", "left", None),
    );
    api.push_group_message(1, 4, "last");
    let result = api
        .ok("getUpdates", json!({"offset": 8, "allowed_updates": []}))
        .await;
    assert_eq!(ids(&result), [9]);
}

#[tokio::test]
async fn allowed_updates_work_as_form_text() {
    let api = Api::new().await;
    let group = updates::group(GROUP, "g");
    let ann = updates::user(1, "Ann", "ann");
    api.server.push_update(
        TOKEN,
        updates::message_reaction(&group, &ann, 1, &[], &["🔥"]),
    );
    api.push_group_message(1, 2, "text");
    let (_, body) = api
        .form(
            "getUpdates",
            &[("allowed_updates", r#"["message_reaction"]"#)],
        )
        .await;
    assert_eq!(ids(&body["result"]), [1]);
    assert_eq!(
        body["result"][0]["message_reaction"]["new_reaction"][0]["emoji"],
        "🔥"
    );
}

#[tokio::test]
async fn a_newer_get_updates_terminates_the_older_one() {
    let api = Api::new().await;
    let older = {
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
    assert_eq!(api.ok("getUpdates", json!({})).await, json!([]));
    let (status, body) = tokio::time::timeout(Duration::from_secs(1), older)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, 409);
    assert_eq!(
        body["description"],
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
    );
}

#[tokio::test]
async fn bots_have_separate_queues() {
    let api = Api::new().await;
    api.server.add_bot("200:other", 200, "other_bot");
    api.push_group_message(1, 1, "for the first bot");
    let group = updates::group(GROUP, "g");
    let id = api.server.push_update(
        "200:other",
        updates::message(&group, &updates::user(2, "B", ""), 2, 0, "second"),
    );
    assert_eq!(id, 1);
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let other: Value = http
        .get(api.server.method_url("200:other", "getUpdates"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(other["result"][0]["message"]["text"], "second");
    assert_eq!(
        api.ok("getUpdates", json!({})).await[0]["message"]["text"],
        "for the first bot"
    );
}
