//! The reports page and the reports API: messages through the ingest API
//! show up in a group's and its community's report, the period links and
//! the exports (content type, attachment name) work, viewers may read,
//! bad input is refused naming the field; on both backends.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use steward_core::Role;
use steward_reports::Report;
use steward_storage::{Store, both_backends};
use support::*;

/// A day in the past, so the test does not depend on today's date.
const DAY: &str = "2026-03-04";
const HOSTILE: &str = "<script>alert(1)</script>";

/// A message in group `g1` at noon UTC on [`DAY`].
fn on_day(id: &str, member: &str, name: &str, text: &str) -> Value {
    let mut event = message(id, "g1", member, name, text);
    event["at"] = json!(format!("{DAY}T12:00:00Z"));
    event
}

async fn seed(app: &axum::Router) {
    ingest(
        app,
        &json!([
            on_day("m1", "u-ann", "Ann Lee", "hello everyone"),
            on_day("m2", "u-ann", "Ann Lee", "how is the release going"),
            on_day("m3", "u-bob", HOSTILE, "fine, thanks"),
        ]),
    )
    .await;
}

async fn group_id(store: &Store) -> i64 {
    store.list_groups().await.unwrap()[0].group.id.0
}

fn header_of(answer: &Answer, name: header::HeaderName) -> &str {
    answer
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

both_backends!(
    page_shows_figures_links_and_exports,
    |store: Store| async move {
        let app = app(store.clone());
        seed(&app).await;
        let group = group_id(&store).await;
        let viewer = sign_in(&store, "vic", Role::Viewer).await;

        let page = get(
            &app,
            &format!("/reports?scope=group:{group}&period=daily&at={DAY}"),
            Some(&viewer),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(html.contains("class=\"report\""), "{html}");
        assert!(html.contains("Group g1"), "the group is named");
        assert!(html.contains("Ann Lee"), "a top contributor");
        assert!(html.contains("<svg"), "charts");
        assert!(!html.contains(HOSTILE), "member names are escaped");
        assert!(!html.contains("style="), "no inline styles (CSP)");
        // The period before and after, and one export per format.
        assert!(html.contains("at=2026-03-03"), "{html}");
        assert!(html.contains("at=2026-03-05"), "{html}");
        for ext in ["md", "html", "json", "csv"] {
            let href = format!(
                "/reports/export?scope=group%3A{group}&amp;period=daily&amp;at={DAY}&amp;format={ext}"
            );
            assert!(html.contains(&href), "{href} in {html}");
        }
        // The picker names the group by title; the page is in the nav.
        assert!(html.contains(&format!("value=\"group:{group}\" selected")));
        assert!(html.contains("href=\"/reports\" aria-current=\"page\""));

        // Weekly and monthly, and the default (the last complete period).
        for query in [
            format!("scope=group:{group}&period=weekly&at={DAY}"),
            format!("scope=group:{group}&period=monthly&at={DAY}"),
            String::new(),
        ] {
            let page = get(&app, &format!("/reports?{query}"), Some(&viewer)).await;
            assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.text());
            assert!(page.text().contains("class=\"report\""), "{query}");
        }
        let weekly = get(
            &app,
            &format!("/reports?scope=group:{group}&period=weekly&at={DAY}"),
            Some(&viewer),
        )
        .await
        .text();
        assert!(weekly.contains("2026-W10"), "the week's label");

        for (ext, content_type, marker) in [
            ("md", "text/markdown", "Group g1"),
            ("html", "text/html", "<!doctype html>"),
            ("json", "application/json", "\"messages\": 3"),
            ("csv", "text/csv", "section,key,period,value"),
        ] {
            let answer = get(
                &app,
                &format!("/reports/export?scope=group:{group}&period=daily&at={DAY}&format={ext}"),
                Some(&viewer),
            )
            .await;
            assert_eq!(answer.status, StatusCode::OK, "{ext}: {}", answer.text());
            assert!(
                header_of(&answer, header::CONTENT_TYPE).starts_with(content_type),
                "{ext}: {:?}",
                answer.headers
            );
            assert_eq!(
                header_of(&answer, header::CONTENT_DISPOSITION),
                format!("attachment; filename=\"steward-group-{group}-{DAY}.{ext}\"")
            );
            let body = answer.text();
            assert!(
                body.contains(marker) || body.replace(' ', "").contains(&marker.replace(' ', "")),
                "{ext} lacks {marker}: {body}"
            );
        }
        let json = get(
            &app,
            &format!("/reports/export?scope=group:{group}&period=daily&at={DAY}&format=json"),
            Some(&viewer),
        )
        .await;
        let report: Report = serde_json::from_slice(&json.body).expect("a report");
        assert_eq!(report.current.messages, 3);
        assert_eq!(report.current.active_members, 2);
        assert_eq!(report.period.label(), DAY);
    }
);

both_backends!(bad_input_is_refused_plainly, |store: Store| async move {
    let app = app(store.clone());
    seed(&app).await;
    let group = group_id(&store).await;
    let viewer = sign_in(&store, "vic", Role::Viewer).await;
    for (path, says) in [
        (
            format!("/reports?scope=group:{group}&period=yearly"),
            "daily, weekly or monthly",
        ),
        (
            format!("/reports?scope=group:{group}&period=daily&at=03/04/2026"),
            "2026-11-21",
        ),
        ("/reports?scope=team:1".to_owned(), "Pick a group"),
        ("/reports?scope=group:999999".to_owned(), "Pick a group"),
        (
            format!("/reports/export?scope=group:{group}&period=daily&format=pdf"),
            "md, html, json or csv",
        ),
        (
            format!("/reports/export?scope=group:{group}&period=daily"),
            "md, html, json or csv",
        ),
    ] {
        let answer = get(&app, &path, Some(&viewer)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(answer.text().contains(says), "{path}: {}", answer.text());
    }
    // Signed out: to the sign-in page.
    let answer = get(&app, "/reports", None).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(answer.location().starts_with("/login"));
});

both_backends!(
    community_reports_sum_their_groups,
    |store: Store| async move {
        let app = app(store.clone());
        seed(&app).await;
        let mut other = message("m4", "g2", "u-cid", "Cid", "hi from the second group");
        other["at"] = json!(format!("{DAY}T09:00:00Z"));
        ingest(&app, &json!([other])).await;
        let owner = sign_in(&store, "ada", Role::Owner).await;
        for group in store.list_groups().await.unwrap() {
            let saved = post_form(
                &app,
                &format!("/groups/{}", group.group.id.0),
                &owner,
                &[("language", "en"), ("community", "Rust Fans")],
            )
            .await;
            assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        }
        let community = store.list_groups().await.unwrap()[0]
            .group
            .community
            .expect("in the community")
            .0;
        let page = get(&app, "/reports", Some(&owner)).await.text();
        assert!(page.contains(&format!("value=\"community:{community}\"")));
        assert!(page.contains("Rust Fans"));

        let path = format!("/reports?scope=community:{community}&period=daily&at={DAY}");
        let page = get(&app, &path, Some(&owner)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(
            html.contains("Rust Fans") && html.contains("Group g2"),
            "{html}"
        );

        let answer = api(
            &app,
            &format!("/api/v1/reports?community={community}&period=daily&at={DAY}"),
            &owner,
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        let report: Report = serde_json::from_slice(&answer.body).expect("a report");
        assert_eq!(report.current.messages, 4);
        assert_eq!(report.groups.len(), 2);
    }
);

/// A GET on the API with `browser`'s session.
async fn api(app: &axum::Router, path: &str, browser: &Browser) -> Answer {
    let request = Request::builder()
        .uri(path)
        .header(header::COOKIE, &browser.cookie)
        .body(Body::empty())
        .unwrap();
    send(app, request).await
}

both_backends!(
    api_answers_each_format_and_names_bad_fields,
    |store: Store| async move {
        let app = app(store.clone());
        seed(&app).await;
        let group = group_id(&store).await;
        let viewer = sign_in(&store, "vic", Role::Viewer).await;

        let answer = api(
            &app,
            &format!("/api/v1/reports?group={group}&period=daily&at={DAY}"),
            &viewer,
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        assert!(header_of(&answer, header::CONTENT_TYPE).starts_with("application/json"));
        let report: Report = serde_json::from_slice(&answer.body).expect("a report");
        assert_eq!(report.current.messages, 3);
        assert_eq!(report.scope.id, group);
        assert_eq!(report.previous_period.label(), "2026-03-03");
        assert_eq!(
            report.top_contributors.first().map(|c| c.name.as_str()),
            Some("Ann Lee")
        );

        for (format, content_type) in [
            ("md", "text/markdown"),
            ("html", "text/html"),
            ("csv", "text/csv"),
        ] {
            let answer = api(
                &app,
                &format!("/api/v1/reports?group={group}&period=weekly&at={DAY}&format={format}"),
                &viewer,
            )
            .await;
            assert_eq!(answer.status, StatusCode::OK, "{format}");
            assert!(header_of(&answer, header::CONTENT_TYPE).starts_with(content_type));
            assert!(
                header_of(&answer, header::CONTENT_DISPOSITION)
                    .ends_with(&format!("2026-W10.{format}\""))
            );
        }

        for (query, field) in [
            (format!("group={group}&period=yearly"), "period"),
            (format!("group={group}"), "period"),
            (format!("group={group}&period=daily&at=yesterday"), "at"),
            (format!("group={group}&period=daily&format=pdf"), "format"),
            ("period=daily".to_owned(), "group"),
            ("group=x&period=daily".to_owned(), "group"),
            (
                format!("group={group}&community=1&period=daily"),
                "community",
            ),
        ] {
            let answer = api(&app, &format!("/api/v1/reports?{query}"), &viewer).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
            let body = answer.json();
            assert_eq!(body["error"], "invalid_query", "{query}: {body}");
            assert_eq!(body["field"], field, "{query}: {body}");
        }
        let missing = api(&app, "/api/v1/reports?group=999999&period=daily", &viewer).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.json()["field"], "group");

        // No credentials: 401.
        let request = Request::builder()
            .uri(format!("/api/v1/reports?group={group}&period=daily"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(send(&app, request).await.status, StatusCode::UNAUTHORIZED);

        // The route is documented.
        let doc = serde_json::to_value(steward_web::openapi()).unwrap();
        assert!(doc["paths"]["/api/v1/reports"]["get"].is_object());
    }
);
