//! Getting in and out: the first-run setup link (creates the owner), team
//! invitations, sign-in with rate limiting, sign-out of this session or of
//! all of them, and the language switch.
//!
//! Forms shown before there is a session are protected by a double-submit
//! token: a random value in an HttpOnly, SameSite=Strict cookie that the
//! form must echo.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::audit::AuditKind;
use steward_core::i18n::Lang;
use steward_core::model::DashboardUser;
use steward_core::{Permission, Role};
use steward_storage::accounts::hash_secret;
use steward_storage::audit::NewAudit;

use super::i18n;
use super::page::{
    CSRF_FIELD, Dash, DashForm, LANG_COOKIE, PageError, language_name, request_language, shell,
    urlencode,
};
use crate::AppState;
use crate::auth::{self, SESSION_COOKIE, cookie, secrets_match};
use crate::routes::session::create_session;

/// The cookie holding the double-submit token of pre-session forms.
const FORM_COOKIE: &str = "steward_form";

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login))
        .route("/setup", get(setup_page).post(setup))
        .route("/invite", get(invite_page).post(accept_invite))
        .route("/logout", post(logout))
        .route("/logout/all", post(logout_everywhere))
        .route("/language", post(set_language))
}

async fn home(dash: Result<Dash, PageError>) -> Redirect {
    match dash {
        Ok(_) => Redirect::to("/overview"),
        Err(_) => Redirect::to("/login"),
    }
}

/// A pre-session page: its language, and the form token to embed.
struct Guest {
    lang: Lang,
    form_token: String,
    set_cookies: Vec<HeaderValue>,
}

impl Guest {
    /// Reads the language (a `?lang=` link sets it) and reuses or makes the
    /// form token.
    fn new(headers: &HeaderMap, lang_param: Option<&str>) -> Guest {
        let mut set_cookies = Vec::new();
        let lang = match lang_param.and_then(|l| l.parse::<Lang>().ok()) {
            Some(lang) => {
                let value = format!(
                    "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
                    lang.as_str()
                );
                set_cookies.extend(HeaderValue::from_str(&value).ok());
                lang
            }
            None => request_language(headers),
        };
        let form_token = match cookie(headers, FORM_COOKIE) {
            Some(token) if token.starts_with("form_") && token.len() < 100 => token.to_owned(),
            _ => {
                let token = auth::new_secret("form_");
                let value = format!("{FORM_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
                set_cookies.extend(HeaderValue::from_str(&value).ok());
                token
            }
        };
        Guest {
            lang,
            form_token,
            set_cookies,
        }
    }

    fn t(&self, key: &str) -> String {
        i18n::text(self.lang, key)
    }

    /// A page with `body`, the language links, and the cookies to set.
    fn respond(self, status: StatusCode, title: &str, here: &str, body: Markup) -> Response {
        let markup = shell(
            self.lang,
            title,
            &[],
            html! {
                main #main.narrow {
                    p.brand { "Steward" }
                    h1 { (title) }
                    (body)
                    nav.langs aria-label=(self.t("language")) {
                        @for lang in Lang::ALL {
                            @let sep = if here.contains('?') { '&' } else { '?' };
                            a href=(format!("{here}{sep}lang={}", lang.as_str())) lang=(lang.as_str()) aria-current=[(lang == self.lang).then_some("true")] { (language_name(lang)) }
                        }
                    }
                }
            },
        );
        let mut response = (status, markup).into_response();
        for value in self.set_cookies {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        response
    }

    fn form_field(&self) -> Markup {
        html! { input type="hidden" name=(CSRF_FIELD) value=(self.form_token); }
    }
}

/// Whether a pre-session form echoed its cookie's token.
fn form_token_ok(headers: &HeaderMap, sent: &str) -> bool {
    cookie(headers, FORM_COOKIE).is_some_and(|expected| secrets_match(sent, expected))
}

/// Only paths on this site, so `next` cannot send anyone elsewhere: a
/// single leading slash and only URL characters (browsers drop tabs and
/// newlines from `Location`, which would turn `/\t/x` into `//x`).
fn local_path(next: Option<&str>) -> String {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "/_.~?=&%#-+,:".contains(c);
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && path.len() <= 2000
                && path.chars().all(allowed) =>
        {
            path.to_owned()
        }
        _ => "/overview".to_owned(),
    }
}

#[derive(Debug, Default, Deserialize)]
struct LoginQuery {
    next: Option<String>,
    lang: Option<String>,
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

fn login_form(guest: &Guest, next: &str, name: &str, error: Option<&str>) -> Markup {
    html! {
        @if let Some(error) = error { p.notice.error role="alert" { (error) } }
        form.stack method="post" action="/login" {
            (guest.form_field())
            input type="hidden" name="next" value=(next);
            label for="name" { (guest.t("field-name")) }
            input #name name="name" required autocomplete="username" value=(name);
            label for="password" { (guest.t("field-password")) }
            input #password name="password" type="password" required autocomplete="current-password";
            button type="submit" { (guest.t("sign-in")) }
        }
    }
}

async fn login_page(headers: HeaderMap, Query(query): Query<LoginQuery>) -> Response {
    let guest = Guest::new(&headers, query.lang.as_deref());
    let next = local_path(query.next.as_deref());
    let title = guest.t("sign-in-title");
    let body = login_form(&guest, &next, "", None);
    let here = format!("/login?next={}", urlencode(&next));
    guest.respond(StatusCode::OK, &title, &here, body)
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let guest = Guest::new(&headers, None);
    let next = local_path(form.next.as_deref());
    let title = guest.t("sign-in-title");
    let here = format!("/login?next={}", urlencode(&next));
    let name = form.name.trim();
    let refuse = |guest: Guest, status, key: &str| {
        let message = guest.t(key);
        let body = login_form(&guest, &next, name, Some(&message));
        guest.respond(status, &title, &here, body)
    };
    if !form_token_ok(&headers, &form.csrf) {
        return Ok(refuse(guest, StatusCode::FORBIDDEN, "form-expired"));
    }
    if state.login_limiter.check(name).is_err() {
        return Ok(refuse(
            guest,
            StatusCode::TOO_MANY_REQUESTS,
            "sign-in-too-many",
        ));
    }
    let user = match state.store().find_user(name).await? {
        Some((user, Some(hash))) if auth::verify_password(&form.password, &hash) => user,
        Some(_) => return Ok(refuse(guest, StatusCode::UNAUTHORIZED, "sign-in-wrong")),
        None => {
            // As slow as a wrong password, so the answer's timing does not
            // tell which names exist.
            auth::verify_password(&form.password, auth::dummy_hash());
            return Ok(refuse(guest, StatusCode::UNAUTHORIZED, "sign-in-wrong"));
        }
    };
    signed_in(&state, &user, &next).await
}

/// Starts the session and goes to `next`.
async fn signed_in(
    state: &AppState,
    user: &DashboardUser,
    next: &str,
) -> Result<Response, PageError> {
    let (cookie, _csrf) = create_session(state, user).await?;
    let mut response = Redirect::to(next).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
struct TokenQuery {
    token: Option<String>,
    lang: Option<String>,
}

#[derive(Debug, Deserialize)]
struct AccountForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

/// The name-and-password form of the setup and invitation pages.
fn account_form(
    guest: &Guest,
    action: &str,
    token: &str,
    name: &str,
    error: Option<&str>,
) -> Markup {
    html! {
        @if let Some(error) = error { p.notice.error role="alert" { (error) } }
        form.stack method="post" action=(action) {
            (guest.form_field())
            input type="hidden" name="token" value=(token);
            label for="name" { (guest.t("field-name")) }
            input #name name="name" required maxlength="64" autocomplete="username" value=(name);
            label for="password" { (guest.t("field-new-password")) }
            input #password name="password" type="password" required minlength="10" autocomplete="new-password";
            button type="submit" { (guest.t("create-account")) }
        }
    }
}

/// Checks a new account's name and password; the error's text key.
fn check_account(name: &str, password: &str) -> Result<(), &'static str> {
    // No control or invisible formatting characters (bidi overrides), which
    // could make one name look like another in the audit log.
    let invisible = |c: char| {
        c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
    };
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(invisible) {
        return Err("account-bad-name");
    }
    if auth::check_password(password).is_err() {
        return Err("account-weak-password");
    }
    Ok(())
}

async fn setup_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
) -> Result<Response, PageError> {
    let guest = Guest::new(&headers, query.lang.as_deref());
    let token = query.token.unwrap_or_default();
    let title = guest.t("setup-title");
    let here = format!("/setup?token={}", urlencode(&token));
    if state.store().has_owner().await? {
        let body =
            html! { p { (guest.t("setup-done")) " " a href="/login" { (guest.t("sign-in")) } } };
        return Ok(guest.respond(StatusCode::OK, &title, &here, body));
    }
    let body = html! {
        p { (guest.t("setup-intro")) }
        (account_form(&guest, "/setup", &token, "", None))
    };
    Ok(guest.respond(StatusCode::OK, &title, &here, body))
}

async fn setup(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<AccountForm>,
) -> Result<Response, PageError> {
    create_account(&state, &headers, &form, Link::Setup).await
}

async fn invite_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
) -> Result<Response, PageError> {
    let guest = Guest::new(&headers, query.lang.as_deref());
    let token = query.token.unwrap_or_default();
    let title = guest.t("invite-title");
    let here = format!("/invite?token={}", urlencode(&token));
    let role = state
        .store()
        .invite_role(&hash_secret(&token), Utc::now())
        .await?;
    let body = match role {
        Some(role) => html! {
            p { (i18n::text_with(guest.lang, "invite-intro", &[("role", i18n::text(guest.lang, &format!("role-{}", role.as_str())).into())])) }
            (account_form(&guest, "/invite", &token, "", None))
        },
        None => html! { p.notice.error role="alert" { (guest.t("invite-invalid")) } },
    };
    Ok(guest.respond(StatusCode::OK, &title, &here, body))
}

async fn accept_invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<AccountForm>,
) -> Result<Response, PageError> {
    create_account(&state, &headers, &form, Link::Invite).await
}

/// The one-time link an account is made through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    /// The first-run link: makes the owner.
    Setup,
    /// A team invitation: makes the role it was made for.
    Invite,
}

impl Link {
    fn path(self) -> &'static str {
        match self {
            Link::Setup => "/setup",
            Link::Invite => "/invite",
        }
    }

    fn title_key(self) -> &'static str {
        match self {
            Link::Setup => "setup-title",
            Link::Invite => "invite-title",
        }
    }

    fn invalid_key(self) -> &'static str {
        match self {
            Link::Setup => "setup-link-invalid",
            Link::Invite => "invite-invalid",
        }
    }
}

/// Checks the form, uses up the link, creates and audits the account and
/// signs its owner in; any refusal re-renders the form saying why.
async fn create_account(
    state: &AppState,
    headers: &HeaderMap,
    form: &AccountForm,
    link: Link,
) -> Result<Response, PageError> {
    let guest = Guest::new(headers, None);
    let title = guest.t(link.title_key());
    let here = format!("{}?token={}", link.path(), urlencode(&form.token));
    let name = form.name.trim();
    let refuse = |guest: Guest, status, key: &str| {
        let message = guest.t(key);
        let body = account_form(&guest, link.path(), &form.token, name, Some(&message));
        guest.respond(status, &title, &here, body)
    };
    if !form_token_ok(headers, &form.csrf) {
        return Ok(refuse(guest, StatusCode::FORBIDDEN, "form-expired"));
    }
    if let Err(key) = check_account(name, &form.password) {
        return Ok(refuse(guest, StatusCode::BAD_REQUEST, key));
    }
    let password_hash = auth::hash_password(&form.password)?;
    let now = Utc::now();
    let token_hash = hash_secret(&form.token);
    let mut tx = state.store().begin().await?;
    let role = match link {
        Link::Setup => tx
            .consume_setup_token(&token_hash, now)
            .await?
            .then_some(Role::Owner),
        Link::Invite => tx.consume_invite(&token_hash, name, now).await?,
    };
    let Some(role) = role else {
        return Ok(refuse(guest, StatusCode::FORBIDDEN, link.invalid_key()));
    };
    let Some(id) = tx
        .insert_user(name, role, Some(&password_hash), now)
        .await?
    else {
        return Ok(refuse(guest, StatusCode::BAD_REQUEST, "account-name-taken"));
    };
    let (kind, reason) = match link {
        Link::Setup => (
            AuditKind::SetupCompleted,
            "owner created through the setup link".to_owned(),
        ),
        Link::Invite => (
            AuditKind::UserCreated,
            format!("joined through an invitation as {role}"),
        ),
    };
    tx.insert_audit(&NewAudit {
        at: now,
        actor: format!("user:{name}"),
        action: kind.as_str().to_owned(),
        target: Some(format!("user:{name}")),
        reason: Some(reason),
        ..NewAudit::default()
    })
    .await?;
    tx.commit().await?;
    let user = DashboardUser {
        id,
        name: name.to_owned(),
        role,
    };
    signed_in(state, &user, "/overview?notice=notice-welcome").await
}

#[derive(Debug, Deserialize)]
struct Empty {}

fn expired_session_cookie() -> (header::HeaderName, &'static str) {
    (
        header::SET_COOKIE,
        "steward_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
    )
}

async fn logout(
    State(state): State<AppState>,
    DashForm(dash, Empty {}): DashForm<Empty>,
) -> Result<Response, PageError> {
    state.store().delete_session(&dash.session_hash).await?;
    debug_assert_eq!(SESSION_COOKIE, "steward_session");
    Ok(([expired_session_cookie()], Redirect::to("/login")).into_response())
}

async fn logout_everywhere(
    State(state): State<AppState>,
    DashForm(dash, Empty {}): DashForm<Empty>,
) -> Result<Response, PageError> {
    state.store().delete_user_sessions(dash.user.id).await?;
    Ok(([expired_session_cookie()], Redirect::to("/login")).into_response())
}

#[derive(Debug, Deserialize)]
struct LanguageForm {
    lang: String,
    /// The page the switch was on (no `Referer`: the policy sends none).
    back: Option<String>,
}

async fn set_language(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<LanguageForm>,
) -> Result<Response, PageError> {
    let Ok(lang) = form.lang.parse::<Lang>() else {
        return Err(dash.bad_request(&dash.t("language-unknown")));
    };
    dash.require(Permission::View)?;
    state
        .store()
        .set_user_language(dash.user.id, Some(lang.as_str()))
        .await?;
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.as_str()
    );
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&local_path(form.back.as_deref())),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(local_path(Some("/review?x=1")), "/review?x=1");
        assert_eq!(local_path(Some("//evil.example/")), "/overview");
        assert_eq!(local_path(Some("https://evil.example/")), "/overview");
        assert_eq!(local_path(Some("/\\evil.example")), "/overview");
        assert_eq!(local_path(Some("/\t/evil.example")), "/overview");
        assert_eq!(local_path(Some("/x\r\nSet-Cookie: a=b")), "/overview");
        assert_eq!(local_path(None), "/overview");
    }

    #[test]
    fn new_accounts_need_a_name_and_a_long_password() {
        assert_eq!(check_account("", "0123456789"), Err("account-bad-name"));
        assert_eq!(check_account("ann", "short"), Err("account-weak-password"));
        assert_eq!(check_account("ann", "0123456789"), Ok(()));
        assert_eq!(
            check_account("ann\u{202E}", "0123456789"),
            Err("account-bad-name")
        );
    }
}
