//! Steward's HTTP server: the API, health checks, metrics and the OpenAPI document.
