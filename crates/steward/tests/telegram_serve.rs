//! `steward serve` with a Telegram bot set only through the environment
//! (`STEWARD_TELEGRAM_TOKEN`, `STEWARD_TELEGRAM_API_URL`), against the Bot
//! API test server: the binary a user runs, moderating a group.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use steward_telegram_testserver::{TestServer, updates};

const TOKEN: &str = "424242:env-token";

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_runs_a_telegram_group_from_environment_settings() {
    let server = TestServer::start().await;
    server.add_bot(TOKEN, 424_242, "env_steward_bot");
    let bot = updates::bot_user(424_242, "Steward", "env_steward_bot");
    let group = updates::group(-100_500, "Env group");
    server.set_admins(-100_500, vec![updates::administrator(&bot)]);
    let data = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .env_remove("STEWARD_CONFIG")
        .env_remove("STEWARD_DATABASE_URL")
        .env("STEWARD_DATA_DIR", data.path())
        .env("STEWARD_LOG", "warn")
        .env("STEWARD_TELEGRAM_TOKEN", TOKEN)
        .env("STEWARD_TELEGRAM_API_URL", server.api_url())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .spawn()
        .expect("start steward");
    let _child = Killed(child);
    server
        .wait_for_call("getUpdates", 1, Duration::from_secs(60))
        .await;
    let spammer = updates::user(9, "Spam", "spam9");
    server.push_update(
        TOKEN,
        updates::message(
            &group,
            &spammer,
            77,
            Utc::now().timestamp(),
            "crypto airdrop, claim now: free USDT",
        ),
    );
    let deleted = server
        .wait_for_call("deleteMessage", 1, Duration::from_secs(30))
        .await;
    assert_eq!(deleted[0].param_i64("chat_id"), Some(-100_500));
    assert_eq!(deleted[0].param_i64("message_id"), Some(77));
    assert_eq!(server.calls_to("getMe").len(), 1);
}
