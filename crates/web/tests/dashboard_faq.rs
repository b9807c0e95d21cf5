//! The FAQ page: entries created, changed and deleted only by those who
//! manage groups (and audited), a question through the ingest API answered
//! from a new entry at once, the test box, and unanswered questions
//! collected, made into an entry or dismissed; on both backends.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use steward_core::{Platform, Role};
use steward_storage::audit::AuditFilter;
use steward_storage::{Store, both_backends};
use support::*;

const HOSTILE: &str = "<script>alert(1)</script>";

async fn group_id(store: &Store) -> i64 {
    store
        .find_group(Platform::Http, "g1")
        .await
        .unwrap()
        .expect("group g1")
        .id
        .0
}

fn entry_fields(scope: &str) -> Vec<(&'static str, String)> {
    vec![
        ("scope", scope.to_owned()),
        ("keywords", "refund policy, 退款政策".to_owned()),
        ("title_en", "Refund request".to_owned()),
        ("phrasings_en", "money back\nreturn an order".to_owned()),
        ("answer_en", format!("Write to support. {HOSTILE}")),
        ("title_zh", "如何申请退款".to_owned()),
        ("answer_zh", "请联系客服。".to_owned()),
    ]
}

fn fields<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

both_backends!(faq_entries_need_the_right_role, |store: Store| async move {
    let app = app(store.clone());
    ingest(
        &app,
        &json!([message("m1", "g1", "u-ann", "Ann", "hello everyone")]),
    )
    .await;
    let group = group_id(&store).await;
    let scope = format!("group:{group}");
    let viewer = sign_in(&store, "vic", Role::Viewer).await;
    let admin = sign_in(&store, "ada", Role::Admin).await;

    // Everyone may read; only managers see the editor.
    let page = get(&app, "/faq", Some(&viewer)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(!page.text().contains("/faq/new"));
    assert_eq!(
        get(&app, "/faq/new", Some(&viewer)).await.status,
        StatusCode::FORBIDDEN
    );
    let refused = post_form(&app, "/faq", &viewer, &fields(&entry_fields(&scope))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(store.faq_entries().await.unwrap().is_empty());

    // Bad forms are refused by name.
    let no_answer = post_form(
        &app,
        "/faq",
        &admin,
        &[("scope", scope.as_str()), ("title_en", "Refund?")],
    )
    .await;
    assert_eq!(no_answer.status, StatusCode::BAD_REQUEST);
    let bad_scope = post_form(&app, "/faq", &admin, &fields(&entry_fields("group:999999"))).await;
    assert_eq!(bad_scope.status, StatusCode::BAD_REQUEST);

    let created = post_form(&app, "/faq", &admin, &fields(&entry_fields(&scope))).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let entries = store.faq_entries().await.unwrap();
    assert_eq!(entries.len(), 1);
    let id = entries[0].id;
    assert_eq!(
        entries[0].content.keywords,
        vec!["refund policy".to_owned(), "退款政策".to_owned()]
    );
    assert_eq!(
        entries[0].content.en.phrasings,
        vec!["money back".to_owned(), "return an order".to_owned()]
    );

    // The entry answers at once, in reply to the question.
    let answer = ingest(
        &app,
        &json!([message(
            "m2",
            "g1",
            "u-bob",
            "Bob",
            "How do I get a refund?"
        )]),
    )
    .await;
    let actions = &answer.json()["results"][0]["actions"];
    assert!(
        actions.to_string().contains("Write to support."),
        "{}",
        answer.text()
    );

    // The list shows it to the viewer, escaped; the editor to managers.
    let page = get(&app, "/faq", Some(&viewer)).await.text();
    assert!(page.contains("Refund request"), "{page}");
    let edit = get(&app, &format!("/faq/{id}"), Some(&admin)).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.text().contains("&lt;script&gt;"));
    assert!(!edit.text().contains(HOSTILE));
    assert_eq!(
        get(&app, &format!("/faq/{id}"), Some(&viewer)).await.status,
        StatusCode::FORBIDDEN
    );

    // The test box names the entry and the outcome.
    let tried = get(
        &app,
        &format!("/faq?group={group}&q=How+do+I+get+a+refund%3F"),
        Some(&viewer),
    )
    .await
    .text();
    assert!(tried.contains("answer with this entry"), "{tried}");

    // Changed by a manager only.
    let mut changed = entry_fields(&scope);
    changed[4].1 = "Changed answer.".to_owned();
    assert_eq!(
        post_form(&app, &format!("/faq/{id}"), &viewer, &fields(&changed))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let saved = post_form(&app, &format!("/faq/{id}"), &admin, &fields(&changed)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let entry = store.faq_entry(id).await.unwrap().unwrap();
    assert_eq!(entry.content.en.answer, "Changed answer.");
    // A new question gets the new answer (the cache was cleared); the
    // cooldown is per entry, so a minute later.
    let later = json!([{
        "id": "m3", "platform": "http", "group": {"id": "g1"},
        "at": (chrono::Utc::now() + chrono::Duration::minutes(2)).to_rfc3339(),
        "kind": "message", "member": {"id": "u-cy", "name": "Cy"},
        "message": {"id": "m3", "text": "how can I get my money back?"}
    }]);
    let answer = ingest(&app, &later).await;
    assert!(
        answer.text().contains("Changed answer."),
        "{}",
        answer.text()
    );

    // Deleted by a manager only.
    assert_eq!(
        post_form(&app, &format!("/faq/{id}/delete"), &viewer, &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let deleted = post_form(&app, &format!("/faq/{id}/delete"), &admin, &[]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(store.faq_entry(id).await.unwrap().is_none());

    let audit = store
        .list_audit(&AuditFilter {
            limit: 100,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let kinds: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    for kind in ["faq_created", "faq_changed", "faq_deleted"] {
        assert!(kinds.contains(&kind), "{kinds:?}");
    }
});

both_backends!(
    unanswered_questions_are_collected_and_dealt_with,
    |store: Store| async move {
        let app = app(store.clone());
        ingest(
            &app,
            &json!([message("m1", "g1", "u-ann", "Ann", "hello everyone")]),
        )
        .await;
        let group = group_id(&store).await;
        let admin = sign_in(&store, "ada", Role::Admin).await;
        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        let created = post_form(
            &app,
            "/faq",
            &admin,
            &fields(&entry_fields(&format!("group:{group}"))),
        )
        .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
        ingest(
            &app,
            &json!([
                message("m2", "g1", "u-bob", "Bob", "Where can I park my car?"),
                message("m3", "g1", "u-cy", "Cy", "Is the office open on Sunday?"),
                message("m4", "g1", "u-dee", "Dee", "nice weather today"),
            ]),
        )
        .await;
        let open = store.unanswered_questions(10).await.unwrap();
        let texts: Vec<&str> = open.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(
            texts,
            vec!["Is the office open on Sunday?", "Where can I park my car?"]
        );
        let page = get(&app, "/faq", Some(&admin)).await.text();
        assert!(page.contains("Where can I park my car?"), "{page}");
        let park = open[1].id;
        let office = open[0].id;

        // Made into an entry: the form starts from the question, and saving
        // it takes the question off the list.
        let form = get(&app, &format!("/faq/new?from={park}"), Some(&admin))
            .await
            .text();
        assert!(form.contains("Where can I park my car?"), "{form}");
        let mut fields_from = entry_fields(&format!("group:{group}"));
        fields_from[2].1 = "Where can I park my car?".to_owned();
        fields_from.push(("from", park.to_string()));
        let saved = post_form(&app, "/faq", &admin, &fields(&fields_from)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());

        // Dismissed by a manager only.
        assert_eq!(
            post_form(
                &app,
                &format!("/faq/unanswered/{office}/dismiss"),
                &viewer,
                &[]
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let dismissed = post_form(
            &app,
            &format!("/faq/unanswered/{office}/dismiss"),
            &admin,
            &[],
        )
        .await;
        assert_eq!(dismissed.status, StatusCode::SEE_OTHER);
        assert!(store.unanswered_questions(10).await.unwrap().is_empty());
        let audit = store
            .list_audit(&AuditFilter {
                limit: 100,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert!(
            audit.iter().any(|a| a.action == "faq_question_dismissed"),
            "{audit:?}"
        );
    }
);
