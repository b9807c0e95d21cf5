//! The tickets pages: a `/complain` through the ingest API opens a ticket;
//! viewers read it but change nothing; operators assign, move, note and
//! resolve it (the member is written to), and a move the workflow forbids
//! is refused; on both backends.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use steward_core::Role;
use steward_storage::audit::AuditFilter;
use steward_storage::tickets::TicketFilter;
use steward_storage::{Store, both_backends};
use support::*;

const HOSTILE: &str = "<script>alert(1)</script>";

both_backends!(
    tickets_need_the_right_role_and_follow_the_workflow,
    |store: Store| async move {
        let app = app(store.clone());
        ingest(
            &app,
            &json!([message(
                "m1",
                "g1",
                "u-ann",
                "Ann",
                &format!("/complain {HOSTILE}")
            )]),
        )
        .await;
        let tickets = store
            .tickets(&TicketFilter {
                limit: 10,
                ..TicketFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(tickets.len(), 1);
        let id = tickets[0].id;
        assert_eq!(tickets[0].category, "complaint");
        let page = format!("/tickets/{id}");

        let viewer = sign_in(&store, "vic", Role::Viewer).await;
        let list = get(
            &app,
            "/tickets?status=open&category=complaint",
            Some(&viewer),
        )
        .await;
        assert_eq!(list.status, StatusCode::OK);
        let html = list.text();
        assert!(html.contains(&format!("#{id}")));
        assert!(!html.contains(HOSTILE) && html.contains("&lt;script&gt;"));
        let shown = get(&app, &page, Some(&viewer)).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(!shown.text().contains("/resolve"), "viewers get no forms");
        let refused = post_form(
            &app,
            &format!("{page}/resolve"),
            &viewer,
            &[("reply", "done")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let refused = post_form(&app, &format!("{page}/note"), &viewer, &[("note", "x")]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        let op = sign_in(&store, "olga", Role::Operator).await;
        let assigned = post_form(&app, &format!("{page}/assign"), &op, &[("assignee", "me")]).await;
        assert_eq!(
            assigned.status,
            StatusCode::SEE_OTHER,
            "{}",
            assigned.text()
        );
        let mine = get(&app, "/tickets?assignee=me", Some(&op)).await;
        assert!(mine.text().contains(&format!("#{id}")));
        let moved = post_form(
            &app,
            &format!("{page}/status"),
            &op,
            &[("status", "in_progress")],
        )
        .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER);
        let noted = post_form(
            &app,
            &format!("{page}/note"),
            &op,
            &[("note", "checked the logs")],
        )
        .await;
        assert_eq!(noted.status, StatusCode::SEE_OTHER);
        // Only the group's own root-cause tags are taken.
        let tagged = post_form(
            &app,
            &format!("{page}/tags"),
            &op,
            &[("category", "complaint"), ("tags", "made-up")],
        )
        .await;
        assert_eq!(tagged.status, StatusCode::BAD_REQUEST);
        // Resolving is only by a reply.
        let bare = post_form(
            &app,
            &format!("{page}/status"),
            &op,
            &[("status", "resolved")],
        )
        .await;
        assert_eq!(bare.status, StatusCode::BAD_REQUEST);
        let resolved = post_form(
            &app,
            &format!("{page}/resolve"),
            &op,
            &[("reply", "The ads are gone, thank you")],
        )
        .await;
        assert_eq!(resolved.status, StatusCode::SEE_OTHER);
        let ticket = store.ticket(id).await.unwrap().unwrap();
        assert_eq!(ticket.status, "resolved");
        assert_eq!(ticket.assignee_name.as_deref(), Some("olga"));
        assert_eq!(
            ticket.resolution.as_deref(),
            Some("The ads are gone, thank you")
        );
        assert!(ticket.first_response_at.is_some());
        // Resolved cannot go back to in progress (only reopen or close).
        let back = post_form(
            &app,
            &format!("{page}/status"),
            &op,
            &[("status", "in_progress")],
        )
        .await;
        assert_eq!(back.status, StatusCode::BAD_REQUEST);
        let closed = post_form(
            &app,
            &format!("{page}/status"),
            &op,
            &[("status", "closed")],
        )
        .await;
        assert_eq!(closed.status, StatusCode::SEE_OTHER);

        let history = get(&app, &page, Some(&viewer)).await.text();
        assert!(history.contains("checked the logs"));
        assert!(history.contains("The ads are gone"));

        let audit = store
            .list_audit(&AuditFilter {
                limit: 1000,
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        for kind in [
            "ticket_opened",
            "ticket_assigned",
            "ticket_status_changed",
            "ticket_noted",
            "ticket_resolved",
            "direct_message",
        ] {
            assert!(audit.iter().any(|a| a.action == kind), "{kind}");
        }
        // The note's words stay out of the audit log.
        assert!(!audit.iter().any(|a| {
            a.reason
                .as_deref()
                .is_some_and(|r| r.contains("checked the logs"))
        }));
        // Signed out: the sign-in page.
        let out = get(&app, "/tickets", None).await;
        assert_ne!(out.status, StatusCode::OK);
    }
);
