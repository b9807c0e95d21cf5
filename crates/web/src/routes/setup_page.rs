//! The page the one-time setup link opens: the owner picks a name and a
//! password. The dashboard proper comes with its own pages.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/setup", get(page))
}

async fn page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        SETUP_HTML,
    )
}

const SETUP_HTML: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Steward · setup</title>
<style>body{font:16px system-ui;max-width:28rem;margin:4rem auto;padding:0 1rem}
label{display:block;margin:1rem 0 .3rem}input{width:100%;padding:.5rem;font:inherit}
button{margin-top:1.5rem;padding:.6rem 1.2rem;font:inherit}#msg{margin-top:1rem}</style></head>
<body><h1>Steward</h1>
<p>Create the owner account · 创建群主账号 · Создайте учётную запись владельца</p>
<form id="f"><label for="name">Name · 名称 · Имя</label><input id="name" required autocomplete="username">
<label for="pw">Password (10+) · 密码 · Пароль</label><input id="pw" type="password" minlength="10" required autocomplete="new-password">
<button>Create · 创建 · Создать</button></form><p id="msg"></p>
<script>
document.getElementById('f').onsubmit = async (e) => {
  e.preventDefault();
  const token = new URLSearchParams(location.search).get('token') || '';
  const res = await fetch('/api/v1/setup', {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({token, name: document.getElementById('name').value, password: document.getElementById('pw').value})});
  const body = await res.json();
  document.getElementById('msg').textContent = res.ok ? 'Done · 完成 · Готово: ' + body.user.name : body.message;
};
</script></body></html>"#;
