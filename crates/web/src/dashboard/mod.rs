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
//!   own penalty ladder, `welcome`, its welcome editor, and `nicknames`,
//!   its nickname rule), `rules`, `review`, `joins` (join requests waiting
//!   for an admin, raid mode, screening settings), `members` (with `inactive`, the silent-members
//!   report), `referrals` (leaderboards and campaigns), `raffles` (verifiable draws), `faq` (FAQ entries, the matcher's test box, unanswered questions), `points` (points leaderboards, the ledger, awards), `audit`, `settings`, `ban_lists` (a community's shared ban
//!   list), `reports` (a group's or community's daily, weekly or monthly
//!   report with its charts, and its exports).

pub(crate) mod activities;
pub(crate) mod assets;
pub(crate) mod audit;
pub(crate) mod ban_lists;
pub(crate) mod charts;
pub(crate) mod cleanup;
pub(crate) mod faq;
pub(crate) mod groups;
pub(crate) mod i18n;
pub(crate) mod inactive;
pub(crate) mod joins;
pub(crate) mod ladder;
pub(crate) mod members;
pub(crate) mod nicknames;
pub(crate) mod overview;
pub(crate) mod page;
pub(crate) mod points;
pub(crate) mod polls;
pub(crate) mod posts;
pub(crate) mod raffles;
pub(crate) mod referrals;
pub(crate) mod reports;
pub(crate) mod review;
pub(crate) mod rules;
pub(crate) mod security;
pub(crate) mod settings;
pub(crate) mod signin;
pub(crate) mod since;
pub(crate) mod tickets;
pub(crate) mod welcome;

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
        .merge(welcome::router())
        .merge(nicknames::router())
        .merge(rules::router())
        .merge(review::router())
        .merge(joins::router())
        .merge(members::router())
        .merge(inactive::router())
        .merge(referrals::router())
        .merge(raffles::router())
        .merge(activities::router())
        .merge(posts::router())
        .merge(polls::router())
        .merge(faq::router())
        .merge(points::router())
        .merge(cleanup::router())
        .merge(since::router())
        .merge(audit::router())
        .merge(ban_lists::router())
        .merge(tickets::router())
        .merge(reports::router())
        .merge(settings::router())
}
