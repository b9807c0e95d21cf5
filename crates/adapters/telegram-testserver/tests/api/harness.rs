//! A small client for the tests: calls methods with a JSON, form or query encoding and splits
//! the answer into HTTP status and body; plus a webhook receiver with scripted answers.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use steward_telegram_testserver::{TestServer, updates};

pub(crate) const TOKEN: &str = "100:test-token";
pub(crate) const BOT_ID: i64 = 100;
pub(crate) const GROUP: i64 = -1_001_234_567;

pub(crate) struct Api {
    pub(crate) server: TestServer,
    http: reqwest::Client,
}

impl Api {
    /// A server with one bot (`TOKEN`) and one known supergroup (`GROUP`).
    pub(crate) async fn new() -> Api {
        let server = TestServer::start().await;
        server.add_bot(TOKEN, BOT_ID, "steward_test_bot");
        server.add_chat(updates::group(GROUP, "Test group"));
        Api {
            server,
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
        }
    }

    pub(crate) fn url(&self, method: &str) -> String {
        self.server.method_url(TOKEN, method)
    }

    /// POST with a JSON body.
    pub(crate) async fn call(&self, method: &str, params: Value) -> (u16, Value) {
        answer(
            self.http
                .post(self.url(method))
                .json(&params)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// POST with an `application/x-www-form-urlencoded` body.
    pub(crate) async fn form(&self, method: &str, pairs: &[(&str, &str)]) -> (u16, Value) {
        answer(
            self.http
                .post(self.url(method))
                .form(pairs)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// GET with the parameters in the query string.
    pub(crate) async fn get(&self, method: &str, pairs: &[(&str, &str)]) -> (u16, Value) {
        answer(
            self.http
                .get(self.url(method))
                .query(pairs)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// POST with a `multipart/form-data` body, as file uploads are sent.
    pub(crate) async fn multipart(
        &self,
        method: &str,
        form: reqwest::multipart::Form,
    ) -> (u16, Value) {
        answer(
            self.http
                .post(self.url(method))
                .multipart(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Calls and expects success; returns `result`.
    pub(crate) async fn ok(&self, method: &str, params: Value) -> Value {
        let (status, body) = self.call(method, params).await;
        assert_eq!(status, 200, "{method}: {body}");
        assert_eq!(body["ok"], true, "{method}: {body}");
        body["result"].clone()
    }

    /// Calls and expects an error; checks the envelope and returns (error_code, description).
    pub(crate) async fn err(&self, method: &str, params: Value) -> (u16, String) {
        let (status, body) = self.call(method, params).await;
        assert_eq!(body["ok"], false, "{method}: {body}");
        assert_eq!(body["error_code"], json!(status), "{method}: {body}");
        (status, body["description"].as_str().unwrap().to_owned())
    }

    /// Pushes a message from `user` into `GROUP`.
    pub(crate) fn push_group_message(&self, user_id: i64, message_id: i64, text: &str) -> i64 {
        let group = updates::group(GROUP, "Test group");
        let user = updates::user(user_id, "User", "");
        self.server.push_update(
            TOKEN,
            updates::message(&group, &user, message_id, 1_700_000_000, text),
        )
    }
}

async fn answer(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(response.headers()["content-type"], "application/json");
    (status, response.json().await.unwrap())
}

/// What a webhook receiver saw: each request's headers and body.
pub(crate) type Received = Arc<Mutex<Vec<(HeaderMap, Value)>>>;

/// Starts a webhook receiver answering with `statuses` in turn (the last one repeats).
pub(crate) async fn webhook_receiver(statuses: Vec<u16>) -> (String, Received) {
    #[derive(Clone)]
    struct Receiver {
        statuses: Arc<Vec<u16>>,
        received: Received,
    }
    async fn receive(
        State(r): State<Receiver>,
        headers: HeaderMap,
        Json(body): Json<Value>,
    ) -> StatusCode {
        let mut received = r.received.lock().unwrap();
        received.push((headers, body));
        let status = r
            .statuses
            .get(received.len() - 1)
            .or(r.statuses.last())
            .copied()
            .unwrap_or(200);
        StatusCode::from_u16(status).unwrap()
    }
    let received = Received::default();
    let state = Receiver {
        statuses: Arc::new(statuses),
        received: Arc::clone(&received),
    };
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}
