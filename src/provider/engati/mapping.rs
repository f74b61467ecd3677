//! Where Engati's unified fields come from (vendors.md Part 1 "Engati": the users API answers
//! `{"responseObject":{"users":[…]}}`, the conversations API `{"responseObject":{"page_number",
//! "page_size","conversations":[…]}}`). Engati documents neither body (Part 2 §2.2, §2.3), so
//! these paths are our assumption, and the notes say where the meaning is ours. The conversion
//! (`wire.rs`) reads every field at the path declared here.

use crate::provider::Operation::{Conversations, UsersFind};
use crate::provider::mapping::FieldSource;

/// The users of `users find`, each an element of this list.
pub(super) const USERS: &str = "responseObject.users[].";

/// The messages of `conversations`, each an element of this list.
pub(super) const MESSAGES: &str = "responseObject.conversations[].";

/// Engati's `users find` and `conversations` fields, in output order.
pub(super) const MAPPING: &[FieldSource] = &[
    FieldSource::native(UsersFind, "user_id", "responseObject.users[].user_id").note(
        "Engati's own id of the user (a number is kept as its digits); a user without one is unreadable",
    ),
    FieldSource::native(UsersFind, "channel", "responseObject.users[].channel"),
    FieldSource::native(
        UsersFind,
        "channel_user_id",
        "responseObject.users[].channel_user_id",
    )
    .note(
        "on WhatsApp the user's phone number, exactly as Engati sends it (digits, with or without +): the USER_ID 'conversations' takes",
    ),
    FieldSource::native(UsersFind, "name", "responseObject.users[].name"),
    FieldSource::native(UsersFind, "created_at", "responseObject.users[].created_at").note(
        "Engati's YYYY-MM-DD HH:MM:SS read as UTC (assumed: the users body is not documented)",
    ),
    FieldSource::native(UsersFind, "attributes", "responseObject.users[].attributes")
        .note("the user's attributes as Engati sends them (names and values are the bot's)"),
    FieldSource::native(
        Conversations,
        "message_id",
        "responseObject.conversations[].message_id",
    )
    .note("a message without one is unreadable (messages are de-duplicated by it across pages); the list may also be named 'messages'"),
    FieldSource::native(Conversations, "sender", "responseObject.conversations[].sender")
        .note("bot, user or agent, in Engati's words"),
    FieldSource::native(
        Conversations,
        "message",
        "responseObject.conversations[].message",
    )
    .note("also read from 'text' or 'response' (the variants third-party clients report)"),
    FieldSource::native(
        Conversations,
        "timestamp",
        "responseObject.conversations[].timestamp",
    )
    .note(
        "Engati's YYYY-MM-DD HH:MM:SS.fff±hhmm converted to UTC; a message without one is unreadable. Without --from/--to/--last every message up to now (Engati's default)",
    ),
];
