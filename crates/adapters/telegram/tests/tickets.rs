//! Feedback and complaint tickets through the Telegram test server: a
//! `/complain` in the group opens a ticket, goes overdue and alerts the
//! admins' chat once, and its resolution reaches the member in private; a
//! `/feedback` in private belongs to the group the member last wrote in.

mod support;

use std::time::Duration;

use chrono::Utc;
use steward_core::settings::ChatSettings;
use steward_core::tickets::{TicketSettings, TicketStatus};
use steward_runtime::{TicketChange, TicketError};
use steward_storage::Store;
use steward_storage::tickets::TicketFilter;
use steward_telegram_testserver::updates;
use support::*;

const MEMBER: i64 = 80;

fn texts(server: &steward_telegram_testserver::TestServer, chat: i64) -> Vec<String> {
    server
        .sent_messages(chat)
        .iter()
        .filter_map(|m| m["text"].as_str().map(str::to_owned))
        .collect()
}

steward_storage::both_backends!(
    a_ticket_goes_overdue_then_is_resolved_and_the_member_told,
    |store: Store| async move {
        let chat = ChatSettings {
            admin_chat: Some(ADMIN_CHAT.to_string()),
            tickets: TicketSettings {
                response_hours: Some(2),
                ..TicketSettings::default()
            },
            ..ChatSettings::default()
        };
        let h = harness_with(server().await, store.clone(), None, chat).await;
        let member = updates::user(MEMBER, "Max", "max");
        h.server.push_update(
            TOKEN,
            updates::message(&group(), &member, 10, now(), "/complain someone posts ads"),
        );
        until(|| {
            texts(&h.server, GROUP)
                .iter()
                .any(|t| t.contains("ticket #"))
        })
        .await;
        until(|| {
            texts(&h.server, ADMIN_CHAT)
                .iter()
                .any(|t| t.contains("Ticket #"))
        })
        .await;
        let listed = store
            .tickets(&TicketFilter {
                limit: 10,
                ..TicketFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(listed.len(), 1);
        let ticket = &listed[0];
        assert_eq!(ticket.category, "complaint");
        assert_eq!(ticket.status, "open");
        assert_eq!(ticket.text, "someone posts ads");
        let number = format!("#{}", ticket.id);
        assert!(texts(&h.server, GROUP).iter().any(|t| t.contains(&number)));

        // Within the target: nothing. Past it: one alert, and only one.
        let start = Utc::now();
        assert_eq!(
            h.pipeline
                .run_timers(start + chrono::Duration::hours(1))
                .await
                .unwrap(),
            0
        );
        let admin_before = texts(&h.server, ADMIN_CHAT).len();
        assert!(
            h.pipeline
                .run_timers(start + chrono::Duration::hours(3))
                .await
                .unwrap()
                >= 1
        );
        until(|| texts(&h.server, ADMIN_CHAT).len() > admin_before).await;
        let alert = texts(&h.server, ADMIN_CHAT).last().unwrap().clone();
        assert!(
            alert.contains("overdue") && alert.contains(&number),
            "{alert}"
        );
        assert_eq!(
            h.pipeline
                .run_timers(start + chrono::Duration::hours(4))
                .await
                .unwrap(),
            0
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(texts(&h.server, ADMIN_CHAT).len(), admin_before + 1);

        // /feedback in private: a ticket for the group last written in.
        let private = updates::private_chat(&member);
        h.server.push_update(
            TOKEN,
            updates::message(&private, &member, 11, now(), "/feedback more events please"),
        );
        until(|| {
            texts(&h.server, MEMBER)
                .iter()
                .any(|t| t.contains("ticket #"))
        })
        .await;
        let listed = store
            .tickets(&TicketFilter {
                limit: 10,
                ..TicketFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].category, "feedback");
        assert_eq!(listed[0].group, ticket.group);

        // A closed ticket cannot be resolved; an open one is, and the
        // member is told in private.
        let refused = h
            .pipeline
            .change_ticket(
                ticket.id,
                TicketChange::Status(TicketStatus::Resolved),
                "user:alice",
                Utc::now(),
            )
            .await;
        assert!(matches!(refused, Err(TicketError::Invalid(_))));
        let resolved = h
            .pipeline
            .change_ticket(
                ticket.id,
                TicketChange::Resolve("We removed the spammer, thanks".into()),
                "user:alice",
                Utc::now(),
            )
            .await
            .unwrap();
        assert_eq!(resolved.status, "resolved");
        until(|| {
            texts(&h.server, MEMBER)
                .iter()
                .any(|t| t.contains("We removed the spammer") && t.contains(&number))
        })
        .await;
        let again = h
            .pipeline
            .change_ticket(
                ticket.id,
                TicketChange::Status(TicketStatus::InProgress),
                "user:alice",
                Utc::now(),
            )
            .await;
        assert!(matches!(again, Err(TicketError::Transition(_))));

        let audit = store.list_audit(&all_audit()).await.unwrap();
        for kind in ["ticket_opened", "ticket_overdue", "ticket_resolved"] {
            assert!(audit.iter().any(|a| a.action == kind), "{kind}");
        }
        assert_eq!(
            audit
                .iter()
                .filter(|a| a.action == "ticket_overdue")
                .count(),
            1
        );
        h.stop().await;
    }
);
