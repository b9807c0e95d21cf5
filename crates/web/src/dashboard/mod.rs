//! The web dashboard: server-rendered pages where the team runs its groups.
//!
//! * [`page`]: the signed-in user ([`page::Dash`]), CSRF-checked forms, error
//!   pages, the page shell. Every handler states the permission it needs
//!   with `dash.require(...)`; hiding a button is never the protection.
//! * [`i18n`]: the texts in zh/ru/en (Fluent files in `crates/web/locales`).
//! * [`charts`]: SVG charts drawn on the server.
//! * [`security`]: CSP and the other security headers, on every response.
//! * `signin`: setup link, invitations, sign-in, sign-out, language.
//! * One module per page: `overview`, `groups` (with `ladder`, a group's
//!   own penalty ladder), `rules`, `review`, `members` (with `inactive`, the silent-members
//!   report), `audit`, `settings`.

pub(crate) mod assets;
pub(crate) mod audit;
pub(crate) mod charts;
pub(crate) mod groups;
pub(crate) mod i18n;
pub(crate) mod inactive;
pub(crate) mod ladder;
pub(crate) mod members;
pub(crate) mod overview;
pub(crate) mod page;
pub(crate) mod review;
pub(crate) mod rules;
pub(crate) mod security;
pub(crate) mod settings;
pub(crate) mod signin;

use axum::Router;

use crate::AppState;

/// Every dashboard route.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .merge(assets::router())
        .merge(signin::router())
        .merge(overview::router())
        .merge(groups::router())
        .merge(ladder::router())
        .merge(rules::router())
        .merge(review::router())
        .merge(members::router())
        .merge(inactive::router())
        .merge(audit::router())
        .merge(settings::router())
}
