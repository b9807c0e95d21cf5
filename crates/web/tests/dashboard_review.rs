//! The review and audit pages of the dashboard, on both backends: cases
//! shown with their evidence, decided alone or in bulk by those allowed,
//! and the audit log filtered and exported.

mod support;

use axum::Router;
use axum::http::{StatusCode, header};
use chrono::Utc;
use serde_json::json;
use steward_core::Role;
use steward_storage::audit::NewAudit;
use steward_storage::{Store, both_backends};
use support::*;

/// A scam message: the default rules ban for it and escalate to the admins.
const SCAM: &str = "send 1 btc to recover your wallet";

/// Ingests a scam message by `member` and returns the id of its open case.
async fn escalate(app: &Router, store: &Store, id: &str, member: &str, text: &str) -> i64 {
    ingest(app, &json!([message(id, "g1", member, member, text)])).await;
    let cases = store.list_cases(Some("open"), 100).await.unwrap();
    let case = cases.first().expect("an open case");
    assert_eq!(case.kind, "escalation");
    case.id
}

both_backends!(
    an_admin_sees_the_evidence_and_decides,
    |store: Store| async move {
        let app = app(store.clone());
        let admin = sign_in(&store, "admin", Role::Admin).await;
        let id = escalate(&app, &store, "e1", "u1", SCAM).await;

        let page = get(&app, "/review", Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(html.contains("<mark>"), "{html}");
        assert!(html.contains("Group g1"), "{html}");
        assert!(
            html.contains(&format!("action=\"/review/{id}/decide\"")),
            "{html}"
        );
        assert!(html.contains("data-select-all=\"case\""), "{html}");
        assert!(html.contains("<kbd>j</kbd>"), "{html}");
        assert!(html.contains("/assets/review.js"), "{html}");
        assert!(!html.contains("style="), "no inline styles");
        assert!(!html.contains(" onclick"), "no inline handlers");

        let answer = post_form(
            &app,
            &format!("/review/{id}/decide"),
            &admin,
            &[("decision", "confirm"), ("reason", "clearly a scam")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        assert_eq!(answer.location(), "/review?notice=notice-decided");
        let cases = store.list_cases(Some("confirmed"), 10).await.unwrap();
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].decided_by.as_deref(), Some("user:admin"));

        let page = get(&app, "/review?notice=notice-decided", Some(&admin)).await;
        assert!(page.text().contains("The case was decided."));
        assert!(
            !page
                .text()
                .contains(&format!("action=\"/review/{id}/decide\""))
        );
        // The decided filter shows who decided and why.
        let page = get(&app, "/review?status=decided", Some(&admin)).await;
        let html = page.text();
        assert!(html.contains("user:admin"), "{html}");
        assert!(html.contains("clearly a scam"), "{html}");

        // Deciding again is refused without acting twice.
        let again = post_form(
            &app,
            &format!("/review/{id}/decide"),
            &admin,
            &[("decision", "dismiss")],
        )
        .await;
        assert_eq!(again.location(), "/review?notice=notice-already-decided");
        let unknown = post_form(
            &app,
            "/review/99999/decide",
            &admin,
            &[("decision", "confirm")],
        )
        .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        let bad = post_form(
            &app,
            &format!("/review/{id}/decide"),
            &admin,
            &[("decision", "maybe")],
        )
        .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);

        // The decision is on the audit page, with the admin as actor.
        let audit = get(&app, "/audit?action=case_confirmed", Some(&admin)).await;
        assert_eq!(audit.status, StatusCode::OK, "{}", audit.text());
        let html = audit.text();
        assert!(
            html.contains(r#"<span class="tag" title="case_confirmed">Case confirmed</span>"#),
            "{html}"
        );
        assert!(html.contains("user:admin"), "{html}");
        assert!(html.contains(&format!("case:{id}")), "{html}");
        // Filtered by action: the automated ban is not listed.
        assert!(!html.contains(r#"title="ban""#), "{html}");
        let all = get(&app, "/audit", Some(&admin)).await.text();
        assert!(
            all.contains(r#"<span class="tag" title="ban">Ban</span>"#),
            "{all}"
        );
    }
);

both_backends!(
    operators_decide_only_when_the_team_allows_it,
    |store: Store| async move {
        let app = app(store.clone());
        let operator = sign_in(&store, "op", Role::Operator).await;
        let viewer = sign_in(&store, "vi", Role::Viewer).await;
        let id = escalate(&app, &store, "e1", "u1", SCAM).await;
        let path = format!("/review/{id}/decide");

        let page = get(&app, "/review", Some(&operator)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.text().contains(&format!("action=\"{path}\"")),
            "buttons hidden"
        );
        let answer = post_form(&app, &path, &operator, &[("decision", "dismiss")]).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        let answer = post_form(
            &app,
            "/review/bulk",
            &operator,
            &[("decision", "dismiss"), ("case", &id.to_string())],
        )
        .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(store.list_cases(Some("open"), 10).await.unwrap().len(), 1);

        store
            .kv_set("team:operators_decide_reviews", "true")
            .await
            .unwrap();
        let page = get(&app, "/review", Some(&operator)).await;
        assert!(page.text().contains(&format!("action=\"{path}\"")));
        let answer = post_form(&app, &path, &operator, &[("decision", "dismiss")]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        let cases = store.list_cases(Some("dismissed"), 10).await.unwrap();
        assert_eq!(cases[0].decided_by.as_deref(), Some("user:op"));

        // Viewers see neither the queue nor the log.
        assert_eq!(
            get(&app, "/review", Some(&viewer)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            get(&app, "/audit", Some(&viewer)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            get(&app, "/audit.csv", Some(&viewer)).await.status,
            StatusCode::FORBIDDEN
        );
        // Signed out: to the sign-in page.
        assert_eq!(
            get(&app, "/review", None).await.status,
            StatusCode::SEE_OTHER
        );
    }
);

both_backends!(
    bulk_decisions_report_what_failed,
    |store: Store| async move {
        let app = app(store.clone());
        let admin = sign_in(&store, "admin", Role::Admin).await;
        let first = escalate(&app, &store, "e1", "u1", SCAM).await;
        let second = escalate(&app, &store, "e2", "u2", SCAM).await;
        let third = escalate(&app, &store, "e3", "u3", SCAM).await;
        assert!(first < second && second < third);
        let decided = post_form(
            &app,
            &format!("/review/{third}/decide"),
            &admin,
            &[("decision", "confirm")],
        )
        .await;
        assert_eq!(decided.status, StatusCode::SEE_OTHER);

        // Missing CSRF field: refused, nothing decided.
        let (a, b) = (first.to_string(), second.to_string());
        let refused = post_form_raw(
            &app,
            "/review/bulk",
            Some(&admin),
            &[("decision", "dismiss"), ("case", &a), ("case", &b)],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let refused = post_form_raw(
            &app,
            &format!("/review/{first}/decide"),
            Some(&admin),
            &[("decision", "confirm")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(store.list_cases(Some("open"), 10).await.unwrap().len(), 2);

        let c = third.to_string();
        let answer = post_form(
            &app,
            "/review/bulk",
            &admin,
            &[
                ("decision", "mute-day"),
                ("reason", "bulk"),
                ("case", &a),
                ("case", &b),
                ("case", &c),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
        assert_eq!(
            answer.location(),
            format!("/review?decided=2&failed={third}")
        );
        assert!(store.list_cases(Some("open"), 10).await.unwrap().is_empty());
        assert_eq!(
            store.list_cases(Some("changed"), 10).await.unwrap().len(),
            2
        );
        let page = get(&app, answer.location(), Some(&admin)).await.text();
        assert!(page.contains("2 cases decided."), "{page}");
        assert!(page.contains(&format!("#{third}")), "{page}");

        let none = post_form(&app, "/review/bulk", &admin, &[("decision", "confirm")]).await;
        assert_eq!(none.location(), "/review?notice=notice-none-selected");
    }
);

both_backends!(hostile_text_is_shown_as_text, |store: Store| async move {
    let app = app(store.clone());
    let admin = sign_in(&store, "admin", Role::Admin).await;
    let text = format!("<script>alert(1)</script> {SCAM}");
    escalate(&app, &store, "e1", "<b>u1</b>", &text).await;
    // An appeal, with the member's own words.
    ingest(&app, &json!([message("e2", "g1", "u9", "Nine", "hello")])).await;
    let appeal = json!({"group": "g1", "member": "u9", "text": "<img src=x> I did nothing"});
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/appeals")
        .header(header::AUTHORIZATION, format!("Bearer {INGEST_TOKEN}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(appeal.to_string()))
        .unwrap();
    assert_eq!(send(&app, request).await.status, StatusCode::OK);

    let html = get(&app, "/review", Some(&admin)).await.text();
    assert!(!html.contains("<script>alert(1)</script>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<b>u1</b>"), "{html}");
    assert!(!html.contains("<img src=x>"), "{html}");
    assert!(html.contains("&lt;img src=x&gt; I did nothing"), "{html}");
    assert!(html.contains("<mark>"), "{html}");

    // The kind filter.
    let appeals = get(&app, "/review?kind=appeal", Some(&admin)).await.text();
    assert!(appeals.contains("I did nothing"), "{appeals}");
    assert!(!appeals.contains("alert(1)"), "{appeals}");
    let audit = get(&app, "/audit", Some(&admin)).await.text();
    assert!(!audit.contains("<b>u1</b>"), "{audit}");
});

both_backends!(the_audit_log_exports_as_csv, |store: Store| async move {
    let app = app(store.clone());
    let admin = sign_in(&store, "admin", Role::Admin).await;
    escalate(&app, &store, "e1", "u1", SCAM).await;
    store
        .insert_audit(&NewAudit {
            at: Utc::now(),
            actor: "user:admin".to_owned(),
            action: "note".to_owned(),
            reason: Some("=HYPERLINK(\"http://evil\"), ok".to_owned()),
            target: Some("@SUM(A1)".to_owned()),
            ..NewAudit::default()
        })
        .await
        .unwrap();

    let csv = get(&app, "/audit.csv", Some(&admin)).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text());
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let text = csv.text();
    assert!(
        text.starts_with("id,time,actor,action,group_id,group,member_id,member,target,reason,rule,ladder_step\r\n"),
        "{text}"
    );
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://evil\"\"), ok\""),
        "{text}"
    );
    assert!(text.contains(",'@SUM(A1),"), "{text}");
    assert!(text.contains(",ban,"), "{text}");

    // The same filters as the page.
    let only_notes = get(
        &app,
        "/audit.csv?action=note&actor=user%3Aadmin",
        Some(&admin),
    )
    .await
    .text();
    assert_eq!(only_notes.lines().count(), 2, "{only_notes}");
    let today = Utc::now().format("%Y-%m-%d").to_string();
    let page = get(
        &app,
        &format!("/audit?from={today}&to={today}&action=note"),
        Some(&admin),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text()
            .contains(r#"<span class="tag" title="note">note</span>"#)
    );
    let past = get(&app, "/audit.csv?to=2000-01-01", Some(&admin))
        .await
        .text();
    assert_eq!(past.lines().count(), 1, "{past}");
    let bad = get(&app, "/audit?from=yesterday", Some(&admin)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
});
