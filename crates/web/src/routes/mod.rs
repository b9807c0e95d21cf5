//! The API's routes, one module per resource. Each module's `router` returns
//! an `OpenApiRouter` so its handlers' documentation goes with them.

pub(crate) mod actions;
pub(crate) mod audit;
pub(crate) mod backtests;
pub(crate) mod ban_lists;
pub(crate) mod cases;
pub(crate) mod groups;
pub(crate) mod health;
pub(crate) mod ingest;
pub(crate) mod members;
pub(crate) mod reports;
pub(crate) mod rules;
pub(crate) mod session;
