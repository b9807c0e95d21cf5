//! What every dashboard page shares: the signed-in user ([`Dash`]), forms
//! checked against the session's CSRF token ([`DashForm`]), the error pages
//! ([`PageError`]) and the page shell ([`Dash::page`]).
//!
//! Pages are server-rendered with `maud`, which escapes every value it
//! interpolates: a member's `<script>` is shown as text. No page uses inline
//! scripts, inline styles or event-handler attributes, so the strict CSP of
//! `security` holds.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use maud::{DOCTYPE, Markup, html};
use serde::de::DeserializeOwned;
use steward_core::i18n::Lang;
use steward_core::model::DashboardUser;
use steward_core::{Permission, Role};
use steward_storage::accounts::hash_secret;

use super::i18n;
use crate::AppState;
use crate::auth::{CSRF_HEADER, SESSION_COOKIE, cookie, secrets_match};

/// The cookie that remembers the language before sign-in.
pub(crate) const LANG_COOKIE: &str = "steward_lang";
/// The form field that carries the CSRF token.
pub(crate) const CSRF_FIELD: &str = "_csrf";
/// The team setting that lets operators decide review items.
pub(crate) const OPERATORS_DECIDE_KEY: &str = "team:operators_decide_reviews";

/// A signed-in dashboard user and what the page needs to speak to them.
#[derive(Debug, Clone)]
pub(crate) struct Dash {
    /// Who.
    pub(crate) user: DashboardUser,
    /// In which language.
    pub(crate) lang: Lang,
    /// The session's CSRF token, put into every form.
    pub(crate) csrf: String,
    /// The hash of the session id (to end this session).
    pub(crate) session_hash: String,
    /// Whether the team lets operators decide review items.
    pub(crate) operators_decide: bool,
    /// The path of this request, for the navigation.
    pub(crate) path: String,
}

/// Whether the team lets operators decide review items (a setting on the
/// settings page, off by default).
pub(crate) async fn operators_decide(state: &AppState) -> bool {
    matches!(
        state.store().kv_get(OPERATORS_DECIDE_KEY).await,
        Ok(Some(v)) if v == "true"
    )
}

/// Whether `role` may decide review items, given the team setting.
pub(crate) fn may_decide(role: Role, operators_decide: bool) -> bool {
    role.can(Permission::DecideEscalations) || (role == Role::Operator && operators_decide)
}

impl Dash {
    /// Whether the user may do this. Deciding review items is also open to
    /// operators when the team allows it.
    pub(crate) fn can(&self, permission: Permission) -> bool {
        if permission == Permission::DecideEscalations {
            return may_decide(self.user.role, self.operators_decide);
        }
        self.user.role.can(permission)
    }

    /// A 403 page unless the user may do this.
    pub(crate) fn require(&self, permission: Permission) -> Result<(), PageError> {
        if self.can(permission) {
            return Ok(());
        }
        Err(self.forbidden())
    }

    /// The 403 page.
    pub(crate) fn forbidden(&self) -> PageError {
        let message = self.t("forbidden-text");
        PageError::Page(
            StatusCode::FORBIDDEN,
            self.page(
                &self.t("forbidden-title"),
                html! { p.notice.error role="alert" { (message) } },
            ),
        )
    }

    /// The text for `key`.
    pub(crate) fn t(&self, key: &str) -> String {
        i18n::text(self.lang, key)
    }

    /// The text for `key` with arguments.
    pub(crate) fn ta(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        i18n::text_with(self.lang, key, args)
    }

    /// The hidden CSRF field every form carries.
    pub(crate) fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name=(CSRF_FIELD) value=(self.csrf); }
    }

    /// A 400 page saying what is wrong.
    pub(crate) fn bad_request(&self, message: &str) -> PageError {
        PageError::Page(
            StatusCode::BAD_REQUEST,
            self.page(
                &self.t("bad-request-title"),
                html! { p.notice.error role="alert" { (message) } },
            ),
        )
    }

    /// A 404 page.
    pub(crate) fn not_found(&self) -> PageError {
        PageError::Page(
            StatusCode::NOT_FOUND,
            self.page(
                &self.t("not-found-title"),
                html! { p { (self.t("not-found-text")) } },
            ),
        )
    }

    /// A whole page: the navigation, `title` as the heading, `body`.
    pub(crate) fn page(&self, title: &str, body: Markup) -> Markup {
        self.page_with_scripts(title, &[], body)
    }

    /// A page that also loads page scripts from `/assets/` (`review.js` ...).
    pub(crate) fn page_with_scripts(&self, title: &str, scripts: &[&str], body: Markup) -> Markup {
        let role_key = format!("role-{}", self.user.role.as_str());
        shell(
            self.lang,
            title,
            scripts,
            html! {
                header.top {
                    nav aria-label=(self.t("nav-label")) {
                        a.brand href="/overview" { "Steward" }
                        ul.nav-sections {
                            @for section in NAV {
                                (self.nav_section(section))
                            }
                        }
                    }
                    div.account {
                        span.who { (self.ta("signed-in-as", &[("name", self.user.name.as_str().into())])) " · " (self.t(&role_key)) }
                        form.lang method="post" action="/language" {
                            (self.csrf_field())
                            input type="hidden" name="back" value=(self.path);
                            label for="lang-select" { (self.t("language")) }
                            select #lang-select name="lang" data-autosubmit {
                                @for lang in Lang::ALL {
                                    option value=(lang.as_str()) selected[lang == self.lang] { (language_name(lang)) }
                                }
                            }
                            button type="submit" { (self.t("language-apply")) }
                        }
                        form method="post" action="/logout" {
                            (self.csrf_field())
                            button.link type="submit" { (self.t("sign-out")) }
                        }
                    }
                }
                main #main {
                    h1 { (title) }
                    (body)
                }
            },
        )
    }
}

/// A titled group of navigation links: the text key of its heading and its
/// links (path, text key, the permission that shows it).
pub(crate) struct NavSection {
    key: &'static str,
    links: &'static [(&'static str, &'static str, Permission)],
}

/// The dashboard's navigation, in sections. A new page is one line in its
/// section; a new section (such as reports) is one line here and a heading
/// text in `common.ftl`.
const NAV: &[NavSection] = &[
    NavSection {
        key: "nav-section-overview",
        links: &[
            ("/overview", "nav-overview", Permission::View),
            ("/groups", "nav-groups", Permission::View),
        ],
    },
    NavSection {
        key: "nav-section-moderation",
        links: &[
            ("/review", "nav-review", Permission::Moderate),
            ("/rules", "nav-rules", Permission::EditRules),
            ("/ban-lists", "nav-ban-lists", Permission::View),
            ("/audit", "nav-audit", Permission::ViewAudit),
        ],
    },
    NavSection {
        key: "nav-section-members",
        links: &[
            ("/members", "nav-members", Permission::View),
            ("/joins", "nav-joins", Permission::Moderate),
            ("/referrals", "nav-referrals", Permission::View),
        ],
    },
    NavSection {
        key: "nav-section-engagement",
        links: &[
            ("/posts", "nav-posts", Permission::View),
            ("/polls", "nav-polls", Permission::View),
            ("/raffles", "nav-raffles", Permission::View),
            ("/activities", "nav-activities", Permission::View),
            ("/faq", "nav-faq", Permission::View),
            ("/points", "nav-points", Permission::View),
            ("/tickets", "nav-tickets", Permission::View),
        ],
    },
    NavSection {
        key: "nav-section-reports",
        links: &[("/reports", "nav-reports", Permission::View)],
    },
    NavSection {
        key: "nav-section-settings",
        links: &[("/settings", "nav-settings", Permission::View)],
    },
];

impl Dash {
    /// One section of the navigation with the links the user may follow;
    /// nothing when there are none.
    fn nav_section(&self, section: &NavSection) -> Markup {
        let links: Vec<_> = section
            .links
            .iter()
            .filter(|(_, _, permission)| self.can(*permission))
            .collect();
        if links.is_empty() {
            return html! {};
        }
        let heading = format!("{}-h", section.key);
        html! {
            li.nav-section {
                span.nav-heading id=(heading) { (self.t(section.key)) }
                ul aria-labelledby=(heading) {
                    @for (href, key, _) in links {
                        li {
                            @if self.is_current(href) {
                                a href=(href) aria-current="page" { (self.t(key)) }
                            } @else {
                                a href=(href) { (self.t(key)) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Whether `href` is this page or one below it.
    fn is_current(&self, href: &str) -> bool {
        self.path == href
            || self
                .path
                .strip_prefix(href)
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

/// The name of a language in itself.
pub(crate) fn language_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "中文",
        Lang::Ru => "Русский",
        Lang::En => "English",
    }
}

/// The HTML document around a page's content (also used by the sign-in
/// pages, which have no navigation).
pub(crate) fn shell(lang: Lang, title: &str, scripts: &[&str], content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · Steward" }
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/app.js" defer {}
                @for script in scripts {
                    script src=(format!("/assets/{script}")) defer {}
                }
            }
            body {
                a.skip href="#main" { (i18n::text(lang, "skip-to-content")) }
                (content)
            }
        }
    }
}

/// The language of a request without a signed-in user: the language cookie,
/// then the browser's `Accept-Language`, then English.
pub(crate) fn request_language(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(|v| v.parse().ok())
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(i18n::from_accept_language)
        })
        .unwrap_or_default()
}

/// A page that could not be shown as asked.
#[derive(Debug)]
pub(crate) enum PageError {
    /// Not signed in: go to the sign-in page, then come back.
    SignIn(String),
    /// A rendered error page.
    Page(StatusCode, Markup),
    /// Something broke; details are logged, not shown.
    Internal(String),
}

impl From<steward_storage::StoreError> for PageError {
    fn from(error: steward_storage::StoreError) -> PageError {
        PageError::Internal(error.to_string())
    }
}

impl From<crate::ApiError> for PageError {
    fn from(error: crate::ApiError) -> PageError {
        PageError::Internal(error.message)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::SignIn(next) => {
                let next = if next.starts_with('/') && !next.starts_with("//") {
                    next
                } else {
                    "/overview".to_owned()
                };
                Redirect::to(&format!("/login?next={}", urlencode(&next))).into_response()
            }
            PageError::Page(status, markup) => (status, markup).into_response(),
            PageError::Internal(detail) => {
                tracing::error!(error = %detail, "dashboard page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    shell(
                        Lang::En,
                        "Error",
                        &[],
                        // No user or language is known here: say it in all three.
                        html! { main #main {
                            h1 { "Something went wrong · 出错了 · Что-то пошло не так" }
                            p { "The error was logged. Try again, or tell the owner." }
                            p lang="zh" { "错误已记录。请重试，或告知所有者。" }
                            p lang="ru" { "Ошибка записана в журнал. Попробуйте ещё раз или сообщите владельцу." }
                        } },
                    ),
                )
                    .into_response()
            }
        }
    }
}

/// Percent-encodes a query value.
pub(crate) fn urlencode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

async fn load(parts: &Parts, state: &AppState) -> Result<Dash, PageError> {
    let path = parts.uri.path().to_owned();
    let sign_in = || {
        let next = parts
            .uri
            .path_and_query()
            .map_or_else(|| path.clone(), |pq| pq.as_str().to_owned());
        PageError::SignIn(if parts.method == Method::GET {
            next
        } else {
            path.clone()
        })
    };
    let Some(session_id) = cookie(&parts.headers, SESSION_COOKIE) else {
        return Err(sign_in());
    };
    let session_hash = hash_secret(session_id);
    let Some(session) = state
        .store()
        .find_session(&session_hash, chrono::Utc::now())
        .await?
    else {
        return Err(sign_in());
    };
    let lang = session
        .language
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| request_language(&parts.headers));
    Ok(Dash {
        user: session.user,
        lang,
        csrf: session.csrf_token,
        session_hash,
        operators_decide: operators_decide(state).await,
        path,
    })
}

fn csrf_refused(dash: &Dash) -> PageError {
    PageError::Page(
        StatusCode::FORBIDDEN,
        dash.page(
            &dash.t("forbidden-title"),
            html! { p.notice.error role="alert" { (dash.t("csrf-refused")) } },
        ),
    )
}

impl FromRequestParts<AppState> for Dash {
    type Rejection = PageError;

    /// Safe requests need only the session; others (scripts calling with
    /// `fetch`) must also send the CSRF token in `X-CSRF-Token`.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Dash, PageError> {
        let dash = load(parts, state).await?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !secrets_match(sent, &dash.csrf) {
                return Err(csrf_refused(&dash));
            }
        }
        Ok(dash)
    }
}

/// A submitted form of a signed-in user, with its `_csrf` field checked
/// against the session. Repeated fields (`case=1&case=2`) fill a `Vec`.
pub(crate) struct DashForm<T>(pub(crate) Dash, pub(crate) T);

/// The largest form accepted (a rule set with many thousands of keywords).
const MAX_FORM_BYTES: usize = 4 * 1024 * 1024;

impl<T: DeserializeOwned> FromRequest<AppState> for DashForm<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, PageError> {
        let (parts, body) = request.into_parts();
        let dash = load(&parts, state).await?;
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| dash.bad_request(&dash.t("form-too-large")))?;
        let fields: Vec<(String, String)> =
            serde_html_form::from_bytes(&bytes).map_err(|e| dash.bad_request(&e.to_string()))?;
        let sent = fields
            .iter()
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        if !secrets_match(sent, &dash.csrf) {
            return Err(csrf_refused(&dash));
        }
        let form = serde_html_form::from_bytes(&bytes).map_err(|e| {
            let message = dash.ta("form-invalid", &[("problem", e.to_string().into())]);
            dash.bad_request(&message)
        })?;
        Ok(DashForm(dash, form))
    }
}

/// A notice to show after a redirect: `?notice=key`, only for keys of the
/// text catalog (anything else is ignored).
pub(crate) fn notice(dash: &Dash, key: Option<&str>) -> Markup {
    match key {
        Some(key) if key.starts_with("notice-") && i18n::has(dash.lang, key) => {
            html! { p.notice role="status" { (dash.t(key)) } }
        }
        _ => html! {},
    }
}

/// An audit action's name in the user's language (the code itself when
/// the catalog has no name for it), with the code as a tooltip.
pub(crate) fn action_tag(dash: &Dash, code: &str) -> Markup {
    html! { span.tag title=(code) { (action_label(dash, code)) } }
}

/// An audit action's name in the user's language, or the code.
pub(crate) fn action_label(dash: &Dash, code: &str) -> String {
    let key = format!("act-{}", code.replace('_', "-"));
    if i18n::has(dash.lang, &key) {
        dash.t(&key)
    } else {
        code.to_owned()
    }
}

/// A short, readable time in UTC.
pub(crate) fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}
