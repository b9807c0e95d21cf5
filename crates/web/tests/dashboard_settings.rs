//! The team and account side of the dashboard, on both backends: sign-in
//! with its rate limit, the setup and invitation links, roles and who may
//! change them, the team setting for operators, API tokens shown once,
//! sign-out everywhere, CSRF, and the language switch.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{Duration, Utc};
use steward_core::Role;
use steward_storage::accounts::hash_secret;
use steward_storage::audit::AuditFilter;
use steward_storage::{Store, both_backends};
use support::*;

/// The form token cookie a pre-session page sets, as `name=value`.
fn form_cookie(answer: &Answer) -> String {
    answer
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("steward_form="))
        .and_then(|v| v.split(';').next())
        .expect("a form cookie")
        .to_owned()
}

fn session_cookie(answer: &Answer) -> Option<String> {
    answer
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("steward_session=") && !v.starts_with("steward_session=;"))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

/// Posts a pre-session form with its cookie and the token echoed.
async fn post_guest(
    app: &axum::Router,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
) -> Answer {
    let token = cookie.split_once('=').unwrap().1;
    let mut all = vec![("_csrf", token)];
    all.extend_from_slice(fields);
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(serde_html_form::to_string(&all).unwrap()))
        .unwrap();
    send(app, request).await
}

fn browser_from(name: &str, cookie: String) -> Browser {
    Browser {
        name: name.to_owned(),
        cookie,
        csrf: String::new(),
    }
}

both_backends!(
    the_setup_link_creates_the_owner_once,
    |store: Store| async move {
        let app = app(store.clone());
        let now = Utc::now();
        store
            .insert_setup_token(&hash_secret("setup_x"), now, now + Duration::hours(1))
            .await
            .unwrap();
        let page = get(&app, "/setup?token=setup_x", None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains(r#"for="password""#));
        let cookie = form_cookie(&page);
        // Without the echoed token the form is refused.
        let refused = post_form_raw(
            &app,
            "/setup",
            None,
            &[
                ("token", "setup_x"),
                ("name", "ann"),
                ("password", "0123456789"),
            ],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let weak = post_guest(
            &app,
            "/setup",
            &cookie,
            &[("token", "setup_x"), ("name", "ann"), ("password", "short")],
        )
        .await;
        assert_eq!(weak.status, StatusCode::BAD_REQUEST);
        assert!(weak.text().contains("at least 10 characters"));
        let done = post_guest(
            &app,
            "/setup",
            &cookie,
            &[
                ("token", "setup_x"),
                ("name", "ann"),
                ("password", "0123456789"),
            ],
        )
        .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
        let ann = browser_from("ann", session_cookie(&done).expect("signed in"));
        let overview = get(&app, "/overview", Some(&ann)).await;
        assert_eq!(overview.status, StatusCode::OK);
        let again = post_guest(
            &app,
            "/setup",
            &cookie,
            &[
                ("token", "setup_x"),
                ("name", "eve"),
                ("password", "0123456789"),
            ],
        )
        .await;
        assert_eq!(again.status, StatusCode::FORBIDDEN);
        assert!(store.find_user("eve").await.unwrap().is_none());
    }
);

both_backends!(
    sign_in_is_rate_limited_and_sign_out_ends_the_session,
    |store: Store| async move {
        let app = app(store.clone());
        let hash = steward_web::auth::hash_password("0123456789").unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.insert_user("bob", Role::Admin, Some(&hash), Utc::now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let page = get(&app, "/login?next=/review", None).await;
        let cookie = form_cookie(&page);
        let good = post_guest(
            &app,
            "/login",
            &cookie,
            &[
                ("name", "bob"),
                ("password", "0123456789"),
                ("next", "/review"),
            ],
        )
        .await;
        assert_eq!(good.status, StatusCode::SEE_OTHER);
        assert_eq!(good.location(), "/review");
        let session = good
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|v| v.starts_with("steward_session="))
            .unwrap();
        assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"));
        let bob = browser_from("bob", session_cookie(&good).unwrap());
        // The session's CSRF token, as a page embeds it.
        let settings = get(&app, "/settings", Some(&bob)).await.text();
        let csrf = settings
            .split(r#"name="_csrf" value=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let bob = Browser { csrf, ..bob };

        for _ in 0..4 {
            let wrong = post_guest(
                &app,
                "/login",
                &cookie,
                &[("name", "bob"), ("password", "wrong-password")],
            )
            .await;
            assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
            assert!(wrong.text().contains("Wrong name or password"));
        }
        let limited = post_guest(
            &app,
            "/login",
            &cookie,
            &[("name", "bob"), ("password", "0123456789")],
        )
        .await;
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);

        let out = post_form(&app, "/logout", &bob, &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        let after = get(&app, "/overview", Some(&bob)).await;
        assert_eq!(after.status, StatusCode::SEE_OTHER);
        assert!(after.location().starts_with("/login"));
    }
);

both_backends!(
    invitations_roles_and_removal_follow_the_role_table,
    |store: Store| async move {
        let app = app(store.clone());
        let owner = sign_in(&store, "olga", Role::Owner).await;
        let admin = sign_in(&store, "adam", Role::Admin).await;
        let operator = sign_in(&store, "opal", Role::Operator).await;

        // Admins invite operators, not admins; operators invite no one.
        let denied = post_form(&app, "/settings/invites", &admin, &[("role", "admin")]).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        let denied = post_form(&app, "/settings/invites", &operator, &[("role", "viewer")]).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        let page = get(&app, "/settings", Some(&operator)).await.text();
        assert!(
            !page.contains("/settings/invites"),
            "operators see no team form"
        );

        let made = post_form(&app, "/settings/invites", &admin, &[("role", "operator")]).await;
        assert_eq!(made.status, StatusCode::OK);
        let text = made.text();
        let link = text
            .split(r#"id="invite-link""#)
            .nth(1)
            .and_then(|rest| rest.split('>').nth(1))
            .and_then(|rest| rest.split('<').next())
            .unwrap()
            .to_owned();
        let token = link.split("token=").nth(1).unwrap().to_owned();
        assert!(token.starts_with("inv_"));
        // Shown once: the settings page lists it without the link.
        let later = get(&app, "/settings", Some(&admin)).await.text();
        assert!(!later.contains(&token));

        let page = get(&app, &format!("/invite?token={token}"), None).await;
        assert!(page.text().contains("Operator"));
        let cookie = form_cookie(&page);
        let joined = post_guest(
            &app,
            "/invite",
            &cookie,
            &[
                ("token", &token),
                ("name", "nina"),
                ("password", "0123456789"),
            ],
        )
        .await;
        assert_eq!(joined.status, StatusCode::SEE_OTHER);
        let (nina, _) = store.find_user("nina").await.unwrap().unwrap();
        assert_eq!(nina.role, Role::Operator);
        let reused = post_guest(
            &app,
            "/invite",
            &cookie,
            &[
                ("token", &token),
                ("name", "nina2"),
                ("password", "0123456789"),
            ],
        )
        .await;
        assert_eq!(reused.status, StatusCode::FORBIDDEN);

        // Role changes: admins may not make admins, owners may; audited.
        let path = format!("/settings/users/{}/role", nina.id.0);
        let denied = post_form(&app, &path, &admin, &[("role", "admin")]).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        let own = post_form(
            &app,
            &format!("/settings/users/{}/role", 2),
            &admin,
            &[("role", "viewer")],
        )
        .await;
        assert_ne!(
            own.status,
            StatusCode::SEE_OTHER,
            "no one changes their own role"
        );
        let done = post_form(&app, &path, &owner, &[("role", "admin")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(
            store.user(nina.id).await.unwrap().unwrap().role,
            Role::Admin
        );
        let audit = store
            .list_audit(&AuditFilter {
                action: Some("role_changed".into()),
                limit: 10,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].actor, "user:olga");
        assert_eq!(audit[0].target.as_deref(), Some("user:nina"));

        // Removing ends the user's sessions.
        let removed = post_form(&app, &format!("/settings/users/{}/remove", 3), &owner, &[]).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
        let gone = get(&app, "/overview", Some(&operator)).await;
        assert_eq!(gone.status, StatusCode::SEE_OTHER);
    }
);

both_backends!(
    the_team_setting_lets_operators_decide,
    |store: Store| async move {
        let app = app(store.clone());
        let admin = sign_in(&store, "adam", Role::Admin).await;
        let operator = sign_in(&store, "opal", Role::Operator).await;
        let denied = post_form(
            &app,
            "/settings/team",
            &operator,
            &[("operators_decide", "on")],
        )
        .await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        let saved = post_form(
            &app,
            "/settings/team",
            &admin,
            &[("operators_decide", "on")],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert_eq!(
            store
                .kv_get("team:operators_decide_reviews")
                .await
                .unwrap()
                .as_deref(),
            Some("true")
        );
        let page = get(&app, "/settings", Some(&admin)).await.text();
        assert!(
            page.contains(r#"name="operators_decide" value="on" checked"#),
            "{page}"
        );
        let off = post_form(&app, "/settings/team", &admin, &[]).await;
        assert_eq!(off.status, StatusCode::SEE_OTHER);
        assert_eq!(
            store
                .kv_get("team:operators_decide_reviews")
                .await
                .unwrap()
                .as_deref(),
            Some("false")
        );
    }
);

both_backends!(
    api_tokens_are_shown_once_and_work,
    |store: Store| async move {
        let app = app(store.clone());
        let viewer = sign_in(&store, "vera", Role::Viewer).await;
        let made = post_form(&app, "/settings/tokens", &viewer, &[("label", "reports")]).await;
        assert_eq!(made.status, StatusCode::OK);
        let text = made.text();
        let token = text
            .split(r#"id="new-token""#)
            .nth(1)
            .and_then(|rest| rest.split('>').nth(1))
            .and_then(|rest| rest.split('<').next())
            .unwrap()
            .to_owned();
        let request = Request::builder()
            .uri("/api/v1/me")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let me = send(&app, request).await;
        assert_eq!(me.json()["name"], "vera");
        let page = get(&app, "/settings", Some(&viewer)).await.text();
        assert!(page.contains("reports") && !page.contains(&token));
    }
);

both_backends!(
    forms_without_the_csrf_token_are_refused,
    |store: Store| async move {
        let app = app(store.clone());
        let admin = sign_in(&store, "adam", Role::Admin).await;
        let answer = post_form_raw(
            &app,
            "/settings/invites",
            Some(&admin),
            &[("role", "operator")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        let wrong = post_form_raw(
            &app,
            "/settings/invites",
            Some(&admin),
            &[("_csrf", "csrf_wrong"), ("role", "operator")],
        )
        .await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        assert!(store.pending_invites(Utc::now()).await.unwrap().is_empty());
    }
);

both_backends!(
    the_language_follows_the_user_then_the_browser,
    |store: Store| async move {
        let app = app(store.clone());
        let ann = sign_in(&store, "ann", Role::Viewer).await;
        let request = Request::builder()
            .uri("/overview")
            .header(header::COOKIE, &ann.cookie)
            .header(header::ACCEPT_LANGUAGE, "ru-RU,ru;q=0.9")
            .body(Body::empty())
            .unwrap();
        let page = send(&app, request).await.text();
        assert!(page.contains(r#"<html lang="ru">"#));
        assert!(page.contains("Обзор"));
        let switched = post_form(
            &app,
            "/language",
            &ann,
            &[("lang", "zh"), ("back", "/members")],
        )
        .await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER);
        assert_eq!(switched.location(), "/members");
        let page = get(&app, "/overview", Some(&ann)).await.text();
        assert!(page.contains(r#"<html lang="zh">"#));
        assert!(page.contains("概览"));
        let login = get(&app, "/login?lang=ru", None).await;
        assert!(login.text().contains("Вход"));
        let bad = post_form(&app, "/language", &ann, &[("lang", "de")]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    }
);
