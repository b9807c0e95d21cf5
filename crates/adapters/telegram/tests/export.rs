//! Telegram Desktop exports read into events: both export formats, every
//! mapped field, event ids equal to the live mapping's, errors that name
//! the place, and arbitrary input never panicking.

use std::io::Cursor;
use std::ops::ControlFlow;

use proptest::prelude::*;
use serde_json::{Value, json};
use steward_adapter_telegram::export::{
    CountingReader, ExportError, ExportOptions, ExportSummary, read_export, read_export_slice,
};
use steward_adapter_telegram::mapping::{MapContext, map_update};
use steward_adapter_telegram::types::Update;
use steward_core::model::GroupRole;
use steward_core::{AttachmentKind, EventKind, EventPayload, IncomingEvent, Timestamp};

/// JSON with the keys in Telegram Desktop's order (the chat's name, type
/// and id before its messages), which `json!` does not keep.
fn ordered(value: &Value) -> String {
    const FIRST: [&str; 4] = ["name", "type", "id", "date"];
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| {
                let rank = FIRST.iter().position(|f| f == k).unwrap_or(FIRST.len());
                (rank, *k == "messages", k.to_string())
            });
            let fields: Vec<String> = keys
                .iter()
                .map(|k| format!("{}: {}", Value::from(k.as_str()), ordered(&map[k.as_str()])))
                .collect();
            format!("{{\n{}\n}}", fields.join(",\n"))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(ordered).collect();
            format!("[\n{}\n]", items.join(",\n"))
        }
        other => other.to_string(),
    }
}

fn read(
    value: &Value,
    options: &ExportOptions,
) -> Result<(Vec<IncomingEvent>, ExportSummary), ExportError> {
    read_bytes(ordered(value).into_bytes(), options)
}

fn read_bytes(
    bytes: Vec<u8>,
    options: &ExportOptions,
) -> Result<(Vec<IncomingEvent>, ExportSummary), ExportError> {
    let mut events = Vec::new();
    let summary = read_export(Cursor::new(bytes), options, |e| {
        events.push(e);
        ControlFlow::Continue(())
    })?;
    Ok((events, summary))
}

fn read_ok(value: &Value) -> (Vec<IncomingEvent>, ExportSummary) {
    read(value, &ExportOptions::default()).unwrap()
}

fn text_of(e: &IncomingEvent) -> &str {
    &e.payload.message().unwrap().text
}

/// An export from before 2021: no `date_unixtime`, numeric `from_id`s
/// of the time, text as arrays of strings and parts.
fn old_format() -> Value {
    json!({
        "name": "Old Friends",
        "type": "private_group",
        "id": 4321,
        "messages": [
            {"id": 1, "type": "service", "date": "2019-03-01T10:00:00",
             "actor": "Ann", "actor_id": 11, "action": "create_group",
             "title": "Old Friends", "members": ["Bob"], "text": ""},
            {"id": 2, "type": "message", "date": "2019-03-01T10:05:00",
             "from": "Ann", "from_id": 11,
             "text": ["see ", {"type": "bold", "text": "this"}, " at ",
                      {"type": "link", "text": "https://example.org/a"}, " and ",
                      {"type": "text_link", "text": "here", "href": "https://hidden.example/x"}]},
            {"id": 3, "type": "message", "date": "2019-03-01T10:06:00",
             "from": "Bob", "from_id": 12,
             "photo": "photos/photo_1.jpg", "width": 800, "height": 600,
             "text": "holiday"},
            {"id": 4, "type": "message", "date": "2019-03-01T10:07:00",
             "from": "Bob", "from_id": 12,
             "file": "voice_messages/audio_1.ogg", "media_type": "voice_message",
             "mime_type": "audio/ogg", "duration_seconds": 3, "text": ""},
            {"id": 5, "type": "message", "date": "2019-03-01T10:08:00",
             "from": "Ann", "from_id": 11,
             "file": "files/plan.pdf", "mime_type": "application/pdf", "text": "the plan"}
        ]
    })
}

/// A supergroup export of today's format.
fn new_format() -> Value {
    json!({
        "name": "Rust 中文",
        "type": "public_supergroup",
        "id": 1234567890,
        "messages": [
            {"id": 40, "type": "service", "date": "2024-05-01T12:00:00", "date_unixtime": "1714564800",
             "actor": "New Kid", "actor_id": "user456", "action": "join_group_by_link",
             "inviter": "Ann", "text": "", "text_entities": []},
            {"id": 41, "type": "message", "date": "2024-05-01T12:01:00", "date_unixtime": "1714564860",
             "edited": "2024-05-01T12:03:00", "edited_unixtime": "1714564980",
             "from": "Ann Lee", "from_id": "user123",
             "reply_to_message_id": 39,
             "text": ["hi ", {"type": "mention", "text": "@bob"}, " ",
                      {"type": "mention_name", "text": "Carl", "user_id": 789},
                      " read ", {"type": "text_link", "text": "this", "href": "https://spam.example/x"}],
             "text_entities": [
                {"type": "plain", "text": "hi "}, {"type": "mention", "text": "@bob"},
                {"type": "plain", "text": " "}, {"type": "mention_name", "text": "Carl", "user_id": 789},
                {"type": "plain", "text": " read "},
                {"type": "text_link", "text": "this", "href": "https://spam.example/x"}]},
            {"id": 42, "type": "message", "date": "2024-05-01T12:02:00", "date_unixtime": "1714564920",
             "from": "Bob", "from_id": "user12",
             "file": "(File not included. Change data exporting settings to download.)",
             "media_type": "sticker", "sticker_emoji": "👍", "width": 512, "height": 512,
             "text": "", "text_entities": []},
            {"id": 43, "type": "message", "date": "2024-05-01T12:04:00", "date_unixtime": "1714565040",
             "from": "Bob", "from_id": "user12", "forwarded_from": "Crypto News",
             "text": "buy now", "text_entities": [{"type": "plain", "text": "buy now"}]},
            {"id": 44, "type": "service", "date": "2024-05-01T12:05:00", "date_unixtime": "1714565100",
             "actor": "Bob", "actor_id": "user12", "action": "remove_members",
             "members": ["Bob"], "text": "", "text_entities": []},
            {"id": 45, "type": "service", "date": "2024-05-01T12:06:00", "date_unixtime": "1714565160",
             "actor": "Ann Lee", "actor_id": "user123", "action": "remove_members",
             "members": ["Spammer"], "text": "", "text_entities": []},
            {"id": 46, "type": "message", "date": "2024-05-01T12:07:00", "date_unixtime": "1714565220",
             "from": "Rust 中文", "from_id": "channel1234567890", "text": "rules updated"},
            {"id": 47, "type": "service", "date": "2024-05-01T12:08:00", "date_unixtime": "1714565280",
             "actor": "Ann Lee", "actor_id": "user123", "action": "pin_message", "message_id": 46,
             "text": ""},
            {"id": 48, "type": "unsupported"}
        ]
    })
}

#[test]
fn old_format_messages_map_with_flattened_text_links_and_media() {
    let (events, summary) = read_ok(&old_format());
    let chat = summary.chat.as_ref().unwrap();
    assert_eq!(chat.group_id, -4321);
    assert_eq!(chat.export_id, 4321);
    assert_eq!(summary.messages, 5);
    assert_eq!(summary.events, 4);
    assert_eq!(summary.skipped.get("service: create_group"), Some(&1));
    assert_eq!(events.len(), 4);

    let e = &events[0];
    assert_eq!(e.event_id, "2");
    assert_eq!(e.group.id, "-4321");
    assert_eq!(e.group.title.as_deref(), Some("Old Friends"));
    assert_eq!(e.member.id, "11");
    assert_eq!(e.member.name.as_deref(), Some("Ann"));
    assert_eq!(e.member.role, None);
    // No zone in old exports: read as UTC by default.
    assert_eq!(e.at.timestamp(), 1_551_434_700);
    let m = e.payload.message().unwrap();
    assert_eq!(m.id, "2");
    assert_eq!(m.text, "see this at https://example.org/a and here");
    assert_eq!(
        m.links,
        vec![
            "https://example.org/a".to_owned(),
            "https://hidden.example/x".to_owned()
        ]
    );
    assert!(m.attachments.is_empty());

    assert_eq!(text_of(&events[1]), "holiday");
    let photo = &events[1].payload.message().unwrap().attachments;
    assert_eq!(photo.len(), 1);
    assert_eq!(photo[0].kind, AttachmentKind::Photo);

    let voice = &events[2].payload.message().unwrap().attachments;
    assert_eq!(voice[0].kind, AttachmentKind::Voice);

    let doc = &events[3].payload.message().unwrap().attachments;
    assert_eq!(doc[0].kind, AttachmentKind::Document);
    assert_eq!(doc[0].name.as_deref(), Some("plan.pdf"));
}

#[test]
fn old_format_dates_shift_by_the_given_offset() {
    let options = ExportOptions {
        utc_offset_seconds: 8 * 3600,
        ..ExportOptions::default()
    };
    let (events, _) = read(&old_format(), &options).unwrap();
    assert_eq!(events[0].at.timestamp(), 1_551_434_700 - 8 * 3600);
}

#[test]
fn new_format_supergroup_maps_every_field() {
    let (events, summary) = read_ok(&new_format());
    let chat = summary.chat.as_ref().unwrap();
    assert_eq!(chat.group_id, -1_001_234_567_890);
    assert_eq!(chat.kind, "public_supergroup");
    assert_eq!(summary.messages, 9);
    assert_eq!(summary.events, 6);
    assert_eq!(
        summary
            .skipped
            .get("member removed by another (no id in the export)"),
        Some(&1)
    );
    assert_eq!(summary.skipped.get("service: pin_message"), Some(&1));
    assert_eq!(summary.skipped.get("unsupported message"), Some(&1));
    assert!(!summary.stopped);

    let join = &events[0];
    assert_eq!(join.event_id, "join:456:1714564800");
    assert_eq!(join.group.id, "-1001234567890");
    assert_eq!(join.member.id, "456");
    assert_eq!(join.member.name.as_deref(), Some("New Kid"));
    assert_eq!(join.kind(), EventKind::MemberJoined);

    let msg = &events[1];
    assert_eq!(msg.event_id, "41");
    assert_eq!(msg.kind(), EventKind::Message);
    // The time sent, not the time edited; the text is the final one.
    assert_eq!(msg.at.timestamp(), 1_714_564_860);
    assert_eq!(msg.member.id, "123");
    assert_eq!(msg.member.name.as_deref(), Some("Ann Lee"));
    let m = msg.payload.message().unwrap();
    assert_eq!(m.text, "hi @bob Carl read this");
    assert_eq!(m.reply_to.as_deref(), Some("39"));
    assert_eq!(m.links, vec!["https://spam.example/x".to_owned()]);
    assert_eq!(m.mentions.len(), 2);
    assert_eq!(m.mentions[0].id, None);
    assert_eq!(m.mentions[0].name.as_deref(), Some("bob"));
    assert_eq!(m.mentions[1].id.as_deref(), Some("789"));
    assert_eq!(m.mentions[1].name.as_deref(), Some("Carl"));
    assert!(m.forwarded_from.is_none());

    let sticker = events[2].payload.message().unwrap();
    assert_eq!(sticker.attachments.len(), 1);
    assert_eq!(sticker.attachments[0].kind, AttachmentKind::Sticker);
    assert_eq!(sticker.text, "");

    let fwd = events[3].payload.message().unwrap();
    let origin = fwd.forwarded_from.as_ref().unwrap();
    assert_eq!(origin.name.as_deref(), Some("Crypto News"));
    assert_eq!(origin.id, None);

    let left = &events[4];
    assert_eq!(left.event_id, "left:12:1714565100");
    assert!(matches!(
        left.payload,
        EventPayload::MemberLeft { removed_by: None }
    ));

    let anon = &events[5];
    assert_eq!(anon.member.id, "-1001234567890");
    assert_eq!(anon.member.role, Some(GroupRole::Admin));
}

struct Ctx;
impl MapContext for Ctx {
    fn role_of(&self, _chat: i64, _user: i64) -> Option<GroupRole> {
        None
    }
    fn poll_chat(&self, _poll_id: &str) -> Option<i64> {
        None
    }
    fn now(&self) -> Timestamp {
        Timestamp::default()
    }
}

fn live(value: Value) -> Vec<IncomingEvent> {
    let update: Update = serde_json::from_value(value).unwrap();
    map_update(&update, &Ctx).events
}

#[test]
fn event_ids_and_ids_match_the_live_mapping() {
    let (events, _) = read_ok(&new_format());
    let chat = json!({"id": -1_001_234_567_890_i64, "type": "supergroup", "title": "Rust 中文"});

    let message = live(json!({"update_id": 1, "message": {
        "message_id": 41, "date": 1714564860, "chat": chat,
        "from": {"id": 123, "is_bot": false, "first_name": "Ann", "last_name": "Lee"},
        "text": "hi @bob Carl read this",
        "entities": [{"type": "mention", "offset": 3, "length": 4},
                     {"type": "text_link", "offset": 18, "length": 4, "url": "https://spam.example/x"}]
    }}));
    let join = live(json!({"update_id": 2, "message": {
        "message_id": 40, "date": 1714564800, "chat": chat,
        "from": {"id": 456, "is_bot": false, "first_name": "New", "last_name": "Kid"},
        "new_chat_members": [{"id": 456, "is_bot": false, "first_name": "New", "last_name": "Kid"}]
    }}));
    let left = live(json!({"update_id": 3, "message": {
        "message_id": 44, "date": 1714565100, "chat": chat,
        "from": {"id": 12, "is_bot": false, "first_name": "Bob"},
        "left_chat_member": {"id": 12, "is_bot": false, "first_name": "Bob"}
    }}));
    let anon = live(json!({"update_id": 4, "message": {
        "message_id": 46, "date": 1714565220, "chat": chat,
        "from": {"id": 1087968824, "is_bot": true, "first_name": "Group"},
        "sender_chat": chat, "text": "rules updated"
    }}));

    for (live, imported) in [
        (&message[0], &events[1]),
        (&join[0], &events[0]),
        (&left[0], &events[4]),
        (&anon[0], &events[5]),
    ] {
        assert_eq!(imported.event_id, live.event_id);
        assert_eq!(imported.group.id, live.group.id);
        assert_eq!(imported.group.title, live.group.title);
        assert_eq!(imported.member.id, live.member.id);
        assert_eq!(imported.member.role, live.member.role);
        assert_eq!(imported.at, live.at);
        assert_eq!(imported.platform, live.platform);
        assert_eq!(imported.kind(), live.kind());
    }
    let (a, b) = (
        events[1].payload.message().unwrap(),
        message[0].payload.message().unwrap(),
    );
    assert_eq!(a.text, b.text);
    assert_eq!(a.links, b.links);
    assert_eq!(a.id, b.id);
}

#[test]
fn reading_twice_gives_the_same_events() {
    let (a, _) = read_ok(&new_format());
    let (b, _) = read_ok(&new_format());
    assert_eq!(a, b);
}

#[test]
fn a_header_after_the_messages_is_waited_for() {
    // `to_vec` writes keys alphabetically: "messages" before "name", "type".
    let late = serde_json::to_vec(&new_format()).unwrap();
    assert!(
        String::from_utf8_lossy(&late).find("\"messages\"")
            < String::from_utf8_lossy(&late).find("\"type\"")
    );
    let (a, sa) = read_bytes(late, &ExportOptions::default()).unwrap();
    let (b, sb) = read_ok(&new_format());
    assert_eq!(a, b);
    assert_eq!(sa, sb);
}

#[test]
fn the_slice_reader_agrees_and_bytes_are_counted() {
    let bytes = ordered(&new_format()).into_bytes();
    let counting = CountingReader::new(Cursor::new(bytes.clone()));
    let counter = counting.counter();
    let mut from_reader = Vec::new();
    read_export(counting, &ExportOptions::default(), |e| {
        from_reader.push(e);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(
        counter.load(std::sync::atomic::Ordering::Relaxed),
        bytes.len() as u64
    );
    let mut from_slice = Vec::new();
    read_export_slice(&bytes, &ExportOptions::default(), |e| {
        from_slice.push(e);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(from_reader, from_slice);
}

#[test]
fn the_caller_can_stop_early() {
    let bytes = ordered(&new_format()).into_bytes();
    let mut seen = 0;
    let summary = read_export_slice(&bytes, &ExportOptions::default(), |_| {
        seen += 1;
        if seen == 2 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .unwrap();
    assert_eq!(seen, 2);
    assert!(summary.stopped);
}

#[test]
fn header_fields_may_follow_other_keys() {
    // Keys before the header that are not the messages are fine.
    let bytes = br#"{"about": "x", "id": 5, "name": "G", "type": "private_group",
        "messages": [{"id": 1, "type": "message", "date_unixtime": "10", "from": "A",
        "from_id": "user1", "text": "hi"}], "extra": [1, 2]}"#;
    let mut events = Vec::new();
    read_export_slice(bytes, &ExportOptions::default(), |e| {
        events.push(e);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].group.id, "-5");
}

fn full_export() -> Value {
    json!({
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 1, "first_name": "Me"},
        "chats": {"about": "chats", "list": [
            {"name": "Friend", "type": "personal_chat", "id": 77, "messages": [
                {"id": 1, "type": "message", "date_unixtime": "5", "from": "Friend", "from_id": "user77", "text": "hey"}]},
            {"name": "Group A", "type": "private_supergroup", "id": 555, "messages": [
                {"id": 9, "type": "message", "date_unixtime": "6", "from": "Ann", "from_id": "user11", "text": "a"}]},
            {"name": "News", "type": "public_channel", "id": 666, "messages": []}
        ]},
        "left_chats": {"about": "left", "list": [
            {"name": "Old B", "type": "private_group", "id": 888, "messages": [
                {"id": 3, "type": "message", "date_unixtime": "7", "from": "Bob", "from_id": "user12", "text": "b"}]}
        ]}
    })
}

#[test]
fn full_account_exports_need_a_chosen_group() {
    let err = read(&full_export(), &ExportOptions::default()).unwrap_err();
    match &err {
        ExportError::ChooseChat { groups } => {
            let ids: Vec<i64> = groups.iter().map(|g| g.export_id).collect();
            assert_eq!(ids, vec![555, 888]);
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("555 (Group A)"));

    for pick in [555, -1_000_000_000_555] {
        let options = ExportOptions {
            chat: Some(pick),
            ..ExportOptions::default()
        };
        let (events, summary) = read(&full_export(), &options).unwrap();
        assert_eq!(summary.chat.unwrap().name.as_deref(), Some("Group A"));
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].group.id, "-1000000000555");
    }
    let left = ExportOptions {
        chat: Some(888),
        ..ExportOptions::default()
    };
    let (events, _) = read(&full_export(), &left).unwrap();
    assert_eq!(text_of(&events[0]), "b");

    let missing = ExportOptions {
        chat: Some(999),
        ..ExportOptions::default()
    };
    assert!(matches!(
        read(&full_export(), &missing),
        Err(ExportError::ChatNotFound { id: 999 })
    ));
    let channel = ExportOptions {
        chat: Some(666),
        ..ExportOptions::default()
    };
    assert!(matches!(
        read(&full_export(), &channel),
        Err(ExportError::NotAGroup { ref kind }) if kind == "public_channel"
    ));
}

#[test]
fn channels_and_private_chats_are_refused() {
    let mut export = new_format();
    export["type"] = json!("personal_chat");
    let err = read(&export, &ExportOptions::default()).unwrap_err();
    assert!(matches!(err, ExportError::NotAGroup { .. }), "{err}");
}

fn error_of(text: &str) -> String {
    read_export_slice(text.as_bytes(), &ExportOptions::default(), |_| {
        ControlFlow::Continue(())
    })
    .unwrap_err()
    .to_string()
}

#[test]
fn malformed_input_names_the_place() {
    let bad_id = "{\"name\": \"G\", \"type\": \"private_group\", \"id\": 5,\n\"messages\": [\n\
        {\"id\": 1, \"type\": \"message\", \"text\": \"ok\"},\n\
        {\"id\": \"x1\", \"type\": \"message\"}]}";
    let err = error_of(bad_id);
    assert!(err.starts_with("line 4 column "), "{err}");
    assert!(err.contains("messages[1].id: "), "{err}");
    assert!(err.contains("expected a number"), "{err}");

    let truncated = "{\"name\": \"G\", \"type\": \"private_group\", \"id\": 5, \"messages\": [{\"id\": 1, \"text\": [";
    let err = error_of(truncated);
    assert!(err.contains("line 1 column"), "{err}");
    assert!(err.contains("messages[0].text"), "{err}");

    let bad_header =
        "{\"name\": \"G\", \"type\": \"private_group\", \"id\": \"five\", \"messages\": []}";
    let err = error_of(bad_header);
    assert!(err.contains(": id: "), "{err}");

    let headless = "{\"messages\": [], \"name\": \"G\"}";
    let err = error_of(headless);
    assert!(err.contains("no id or type"), "{err}");

    assert!(matches!(
        read_export_slice(b"{\"name\": \"x\"}", &ExportOptions::default(), |_| {
            ControlFlow::Continue(())
        }),
        Err(ExportError::NoMessages)
    ));
    assert!(error_of("[1, 2]").contains("line 1 column"));
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = read_export_slice(&bytes, &ExportOptions::default(), |_| ControlFlow::Continue(()));
    }

    #[test]
    fn mangled_exports_never_panic(cut in 0usize..4000, byte in any::<u8>(), at in 0usize..4000) {
        let mut bytes = ordered(&new_format()).into_bytes();
        if at < bytes.len() {
            bytes[at] = byte;
        }
        bytes.truncate(cut.min(bytes.len()));
        let _ = read_export(Cursor::new(bytes), &ExportOptions::default(), |_| ControlFlow::Continue(()));
    }
}
