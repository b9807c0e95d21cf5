//! The rules page.

use axum::Router;
use axum::routing::get;
use maud::{Markup, html};
use steward_core::Permission;

use super::page::{Dash, PageError};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/rules", get(page))
}

async fn page(dash: Dash) -> Result<Markup, PageError> {
    dash.require(Permission::EditRules)?;
    Ok(dash.page(&dash.t("nav-rules"), html! { p { "…" } }))
}
