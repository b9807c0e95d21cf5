//! The OpenAPI document's frame: title, version, security schemes. The paths
//! come from the handlers through `utoipa-axum`.

use utoipa::Modify;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Steward API",
        description = "Community operations for group admins: ingest events from any chat system, get Steward's decisions back, read groups and the audit log."
    ),
    modifiers(&Security),
    tags(
        (name = "ingest", description = "The generic HTTP platform: push events"),
        (name = "actions", description = "The generic HTTP platform: pull and acknowledge actions"),
        (name = "groups", description = "Groups Steward knows"),
        (name = "audit", description = "The append-only audit log"),
        (name = "rules", description = "Moderation rules: read, replace, test, history"),
        (name = "cases", description = "The review queue: escalations and appeals"),
        (name = "members", description = "One member's data: export and erasure on request"),
        (name = "reports", description = "Daily, weekly and monthly reports on a group or a community"),
        (name = "ban-lists", description = "Communities' shared ban lists: entries, import and export, subscriptions"),
        (name = "session", description = "Setup, sign-in, sign-out"),
        (name = "ops", description = "Health and metrics"),
    )
)]
pub(crate) struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = |description: &str| {
            let mut scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build();
            scheme.description = Some(description.to_owned());
            SecurityScheme::Http(scheme)
        };
        components.add_security_scheme(
            "ingest_token",
            bearer("the ingest token (ingest.token / STEWARD_INGEST_TOKEN)"),
        );
        components.add_security_scheme(
            "api_token",
            bearer("an API token from `steward token create --user NAME`"),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "steward_session",
                "dashboard session; state-changing requests also send X-CSRF-Token",
            ))),
        );
    }
}
