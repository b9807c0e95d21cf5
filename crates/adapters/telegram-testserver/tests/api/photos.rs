//! `sendPhoto`: uploads as `multipart/form-data`, or a `file_id`/URL in JSON.

use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::harness::{Api, GROUP};

/// A PNG header claiming 640 x 480: signature, then the `IHDR` chunk.
fn png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&640u32.to_be_bytes());
    png.extend_from_slice(&480u32.to_be_bytes());
    png.extend_from_slice(b"\x08\x06\0\0\0");
    png
}

fn photo_part(bytes: Vec<u8>) -> Part {
    Part::bytes(bytes)
        .file_name("chart.png")
        .mime_str("image/png")
        .unwrap()
}

#[tokio::test]
async fn uploaded_photos_are_sent_and_logged() {
    let api = Api::new().await;
    let bytes = png();
    let form = Form::new()
        .text("chat_id", GROUP.to_string())
        .text("caption", "Weekly report")
        .part("photo", photo_part(bytes.clone()));
    let (status, body) = api.multipart("sendPhoto", form).await;
    assert_eq!(status, 200, "{body}");
    let sent = &body["result"];
    assert_eq!(sent["chat"]["id"], GROUP);
    assert_eq!(sent["caption"], "Weekly report");
    assert_eq!(sent["photo"][0]["file_size"], bytes.len());
    assert_eq!(sent["photo"][0]["width"], 640);
    assert_eq!(sent["photo"][0]["height"], 480);
    assert!(sent["photo"][0]["file_id"].as_str().is_some());
    let message_id = sent["message_id"].as_i64().unwrap();
    assert!(api.server.message_exists(GROUP, message_id));

    let calls = api.server.calls_to("sendPhoto");
    assert_eq!(calls.len(), 1);
    let photo = &calls[0].params["photo"];
    assert_eq!(photo["file_name"], "chart.png");
    assert_eq!(photo["mime_type"], "image/png");
    assert_eq!(photo["file_size"], bytes.len());
    assert_eq!(photo["head"], json!(bytes[..8]));
    assert_eq!(calls[0].param_i64("chat_id"), Some(GROUP));
}

#[tokio::test]
async fn photos_by_file_id_or_url_are_sent() {
    let api = Api::new().await;
    let sent = api
        .ok(
            "sendPhoto",
            json!({"chat_id": GROUP, "photo": "https://example.org/chart.png"}),
        )
        .await;
    assert_eq!(sent["photo"].as_array().unwrap().len(), 1);
    assert!(sent.get("caption").is_none());
}

#[tokio::test]
async fn send_photo_validates_chat_photo_and_caption() {
    let api = Api::new().await;
    for (params, expected) in [
        (json!({"photo": "x"}), "Bad Request: chat_id is empty"),
        (
            json!({"chat_id": GROUP}),
            "Bad Request: there is no photo in the request",
        ),
        (
            json!({"chat_id": GROUP, "photo": "x", "caption": "c".repeat(1025)}),
            "Bad Request: message caption is too long",
        ),
        (
            json!({"chat_id": -100_999, "photo": "x"}),
            "Bad Request: chat not found",
        ),
    ] {
        assert_eq!(
            api.err("sendPhoto", params).await,
            (400, expected.to_owned())
        );
    }
    let empty = Form::new()
        .text("chat_id", GROUP.to_string())
        .part("photo", photo_part(Vec::new()));
    let (status, body) = api.multipart("sendPhoto", empty).await;
    assert_eq!(status, 400);
    assert_eq!(body["description"], "Bad Request: file must be non-empty");
}
