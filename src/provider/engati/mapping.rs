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

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use serde_json::{Map, Value as Json, json};

    use super::super::wire::{read_message, read_user};
    use super::*;
    use crate::output::{FieldKind, Value};
    use crate::provider::mapping::{Source, fields_of, sources_of};
    use crate::provider::{Operation, Record, Vendor};

    /// The fields without which a record of `op` is unreadable.
    fn keys(op: Operation) -> &'static [&'static str] {
        match op {
            UsersFind => &["user_id"],
            _ => &["message_id", "timestamp"],
        }
    }

    fn prefix(op: Operation) -> &'static str {
        if op == UsersFind { USERS } else { MESSAGES }
    }

    /// A value for field number `i` of `kind` that no other field has: as Engati sends it,
    /// and as the tool prints it.
    fn sample(i: usize, kind: FieldKind) -> (Json, Value) {
        match kind {
            FieldKind::Time => {
                let t = Utc
                    .timestamp_opt(1_775_000_000 + 3671 * i as i64, 0)
                    .unwrap();
                let wire = t.format("%Y-%m-%d %H:%M:%S%.3f+0000").to_string();
                (json!(wire), Value::Time(t))
            }
            FieldKind::Json => (json!({ "k": i }), Value::Json(json!({ "k": i }))),
            _ => (
                json!(format!("value-{i}")),
                Value::Text(format!("value-{i}")),
            ),
        }
    }

    /// The printed record of `op` made from `object`, field by field.
    fn converted(op: Operation, object: Json) -> Vec<(String, Value)> {
        let row = match op {
            UsersFind => read_user(object, "GET /users").unwrap().into_row(),
            _ => read_message(object, "GET /conversations")
                .unwrap()
                .into_row(),
        };
        let names = fields_of(Vendor::Engati, op).into_iter().map(|f| f.name);
        names.map(|n| n.to_string()).zip(row).collect()
    }

    /// `field` of `op` at its declared path with its sample, in `object`.
    fn put(object: &mut Map<String, Json>, op: Operation, i: usize, field: &str) -> Value {
        let kind = fields_of(Vendor::Engati, op)
            .into_iter()
            .find(|f| f.name == field)
            .unwrap()
            .kind;
        let path = crate::provider::mapping::path(MAPPING, op, field);
        let key = path
            .strip_prefix(prefix(op))
            .expect("a field of the record");
        let (wire, printed) = sample(i, kind);
        object.insert(key.to_string(), wire);
        printed
    }

    #[test]
    fn each_declared_path_is_the_field_the_conversion_reads() {
        for op in [UsersFind, Conversations] {
            let sources = sources_of(MAPPING, op);
            for (i, source) in sources.iter().enumerate() {
                let Source::Field(path) = source.source else {
                    panic!("{op:?} {}: every Engati field is native", source.field);
                };
                // The key fields (with values of their own), and this one field.
                let mut object = Map::new();
                let mut expected: Vec<(&str, Value)> = Vec::new();
                for (k, key) in keys(op).iter().enumerate() {
                    expected.push((key, put(&mut object, op, 100 + k, key)));
                }
                expected.retain(|(f, _)| *f != source.field);
                expected.push((source.field, put(&mut object, op, i, source.field)));
                for (name, value) in converted(op, Json::Object(object)) {
                    let want = expected
                        .iter()
                        .find(|(f, _)| *f == name)
                        .map_or(Value::Null, |(_, v)| v.clone());
                    assert_eq!(value, want, "{op:?} {name} with only {path} given");
                }
            }
        }
    }

    #[test]
    fn the_key_fields_are_declared_and_every_field_is_in_output_order() {
        for op in [UsersFind, Conversations] {
            let declared: Vec<_> = sources_of(MAPPING, op).iter().map(|s| s.field).collect();
            let printed: Vec<_> = fields_of(Vendor::Engati, op)
                .into_iter()
                .map(|f| f.name.into_owned())
                .collect();
            assert_eq!(declared, printed, "{op:?}");
            for key in keys(op) {
                assert!(declared.contains(key), "{op:?} {key}");
            }
        }
    }
}
