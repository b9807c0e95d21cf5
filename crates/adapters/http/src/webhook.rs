//! Actions POSTed to a configured URL, signed so the receiver can trust them.
//!
//! Each request carries one [`ActionEnvelope`] as JSON and these headers:
//!
//! * `X-Steward-Timestamp`: Unix seconds when it was signed;
//! * `X-Steward-Signature`: `sha256=` and the hex HMAC-SHA256, keyed with the
//!   webhook secret, of `TIMESTAMP.BODY` (the timestamp, a dot, the raw body),
//!   so a captured request cannot be replayed later with a new timestamp;
//! * `Idempotency-Key`: the action's key; a receiver drops repeats.
//!
//! A 2xx answer means done. 429 and 5xx answers, timeouts and connection
//! errors are retried (after `Retry-After` when given); any other answer is
//! permanent.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use steward_core::Platform;
use steward_runtime::{Delivered, Deliverer, DeliveryError, DeliveryOutcome};
use steward_storage::outbox::OutboxRow;

use crate::ActionEnvelope;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "X-Steward-Signature";
/// The timestamp header.
pub const TIMESTAMP_HEADER: &str = "X-Steward-Timestamp";

type HmacSha256 = Hmac<Sha256>;

/// The `X-Steward-Signature` value for a body sent at `timestamp`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mac = signed(secret, timestamp, body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn signed(secret: &[u8], timestamp: i64, body: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Whether `signature` is the right one, compared in constant time.
pub fn verify(secret: &[u8], timestamp: i64, body: &[u8], signature: &str) -> bool {
    let Some(hex_sig) = signature.strip_prefix("sha256=") else {
        return false;
    };
    let Ok(bytes) = hex::decode(hex_sig) else {
        return false;
    };
    signed(secret, timestamp, body).verify_slice(&bytes).is_ok()
}

/// Delivers actions of HTTP-platform groups to a webhook.
#[derive(Debug, Clone)]
pub struct WebhookDeliverer {
    client: reqwest::Client,
    url: String,
    secret: Vec<u8>,
}

impl WebhookDeliverer {
    /// A deliverer POSTing to `url`, signing with `secret`.
    pub fn new(url: impl Into<String>, secret: impl Into<Vec<u8>>) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .user_agent(concat!("steward/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(WebhookDeliverer {
            client,
            url: url.into(),
            secret: secret.into(),
        })
    }

    async fn post(&self, row: &OutboxRow) -> DeliveryOutcome {
        let body = serde_json::to_vec(&ActionEnvelope::from(row))
            .map_err(|e| DeliveryError::Permanent(format!("cannot encode action: {e}")))?;
        let timestamp = chrono::Utc::now().timestamp();
        let response = self
            .client
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(SIGNATURE_HEADER, sign(&self.secret, timestamp, &body))
            .header("Idempotency-Key", &row.idempotency_key)
            .body(body)
            .send()
            .await
            .map_err(|e| DeliveryError::Retry {
                after: None,
                reason: format!("webhook unreachable: {e}"),
            })?;
        let status = response.status();
        if status.is_success() {
            // The receiver may answer with what it did: the id of a message
            // it sent, a link it created. Anything else counts as done.
            let body = response.bytes().await.unwrap_or_default();
            return Ok(serde_json::from_slice::<Delivered>(&body).unwrap_or_default());
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let reason = format!("webhook answered {status}");
        if status.as_u16() == 429 || status.is_server_error() {
            Err(DeliveryError::Retry {
                after: retry_after,
                reason,
            })
        } else {
            Err(DeliveryError::Permanent(reason))
        }
    }
}

impl Deliverer for WebhookDeliverer {
    fn platform(&self) -> Platform {
        Platform::Http
    }

    fn deliver<'a>(
        &'a self,
        action: &'a OutboxRow,
    ) -> Pin<Box<dyn Future<Output = DeliveryOutcome> + Send + 'a>> {
        Box::pin(self.post(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_detect_tampering() {
        let sig = sign(b"secret", 1_700_000_000, b"{\"a\":1}");
        assert!(sig.starts_with("sha256="));
        assert!(verify(b"secret", 1_700_000_000, b"{\"a\":1}", &sig));
        assert!(!verify(b"secret", 1_700_000_001, b"{\"a\":1}", &sig));
        assert!(!verify(b"other", 1_700_000_000, b"{\"a\":1}", &sig));
        assert!(!verify(b"secret", 1_700_000_000, b"{\"a\":2}", &sig));
        assert!(!verify(b"secret", 1_700_000_000, b"{\"a\":1}", "sha256=zz"));
    }
}
