//! The overview page.

use axum::Router;
use axum::routing::get;
use maud::{Markup, html};
use steward_core::Permission;

use super::page::{Dash, PageError};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/overview", get(page))
}

async fn page(dash: Dash) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    Ok(dash.page(&dash.t("nav-overview"), html! { p { "…" } }))
}
