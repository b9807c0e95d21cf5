//! Signing in and out of the dashboard, on both backends.

mod support;

use axum::http::StatusCode;
use steward_core::Role;
use steward_storage::{Store, both_backends};
use support::*;

both_backends!(pages_need_a_session, |store: Store| async move {
    let app = app(store.clone());
    let answer = get(&app, "/overview", None).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), "/login?next=/overview");
    let ann = sign_in(&store, "ann", Role::Owner).await;
    let answer = get(&app, "/overview", Some(&ann)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let csp = answer.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert_eq!(answer.headers["x-frame-options"], "DENY");
});
