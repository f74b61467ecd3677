//! Engati's wire types (vendors.md Part 1 "Engati", tolerant of the Part 2 variants) and their
//! conversion into the unified records. Private to this folder.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::Value as Json;

use super::mapping::{MAPPING, MESSAGES, USERS};
use crate::http::ApiResponse;
use crate::provider::Operation::{self, Conversations, UsersFind};
use crate::provider::mapping;
use crate::provider::read::{Reader, Rule, canonical};
use crate::provider::users::{BotUser, ChatMessage};
use crate::provider::{ProviderError, Vendor};

/// `{"status":{"code":1000,"desc":"SUCCESS"[,"details":"…"]}}`; the template API names the
/// text `message` (Part 2 §2.4), and codes may come as strings.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Status {
    #[serde(default, deserialize_with = "opt_code")]
    pub code: Option<i64>,
    #[serde(default)]
    pub desc: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub details: Option<serde_json::Value>,
}

impl Status {
    /// The status of a decoded body, if it has a readable one.
    pub(super) fn of(body: &serde_json::Value) -> Option<Status> {
        body.get("status")
            .and_then(|s| serde_json::from_value(s.clone()).ok())
    }

    /// The vendor's name for the code (`INVALID_BOT_OR_CUSTOMER_ID`), if it gave one.
    pub(super) fn name(&self) -> Option<&str> {
        self.desc
            .as_deref()
            .or(self.message.as_deref())
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The vendor's explanation, if it gave more than the name.
    pub(super) fn details(&self) -> Option<String> {
        let d = match &self.details {
            Some(serde_json::Value::String(s)) => s.trim().to_string(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        if !d.is_empty() {
            return Some(d);
        }
        // `message` next to a `desc` is an explanation; alone it is the name.
        match (&self.desc, &self.message) {
            (Some(_), Some(m)) if !m.trim().is_empty() => Some(m.trim().to_string()),
            _ => None,
        }
    }
}

/// The users of a users answer's `responseObject` (Part 1: `{"users":[…]}`; a bare list is
/// tolerated, and no `responseObject` at all, or a null one, is no users). An object without a
/// `users` list is another schema: unreadable.
pub(super) fn users_of(object: Json, resp: &ApiResponse) -> Result<Vec<Json>, ProviderError> {
    let what = match object {
        Json::Null => return Ok(Vec::new()),
        Json::Array(users) => return Ok(users),
        Json::Object(mut map) => match map.remove("users") {
            Some(Json::Array(users)) => return Ok(users),
            Some(Json::Null) => return Ok(Vec::new()),
            Some(other) => format!(
                "responseObject.users is {}, not a list of users",
                kind(&other)
            ),
            None => {
                let holds: Vec<_> = map.keys().cloned().collect();
                format!(
                    "the responseObject has no users list (responseObject.users; it holds: {})",
                    holds.join(", ")
                )
            }
        },
        other => format!("the responseObject is {}, not an object", kind(&other)),
    };
    Err(resp.bad_shape(super::VENDOR, what))
}

/// The page echo and the messages of a conversations answer's `responseObject` (Part 1; a
/// `messages` list is tolerated, Part 2 §2.3). Anything without the list is unreadable.
pub(super) fn conversation_page(
    object: Json,
    resp: &ApiResponse,
) -> Result<ConversationPage, ProviderError> {
    let bad = |what: String| Err(resp.bad_shape(super::VENDOR, what));
    let Json::Object(mut map) = object else {
        return bad(format!(
            "the responseObject is {}, not a page of messages",
            kind(&object)
        ));
    };
    let echo = |name: &str| -> Result<Option<u64>, ProviderError> {
        match map.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| {
                resp.bad_shape(
                    super::VENDOR,
                    format!("responseObject.{name} is {v}, not a page number"),
                )
            }),
        }
    };
    let (page_number, page_size) = (echo("page_number")?, echo("page_size")?);
    let list = map
        .remove("conversations")
        .or_else(|| map.remove("messages"));
    match list {
        Some(Json::Array(conversations)) => Ok(ConversationPage {
            page_number,
            page_size,
            conversations,
        }),
        Some(other) => bad(format!(
            "responseObject.conversations is {}, not a list of messages",
            kind(&other)
        )),
        None => {
            let holds: Vec<_> = map.keys().cloned().collect();
            bad(format!(
                "the responseObject has no conversations list (responseObject.conversations; it holds: {})",
                holds.join(", ")
            ))
        }
    }
}

/// A conversations page: the page echoed, and its messages as Engati sent them.
#[derive(Debug)]
pub(super) struct ConversationPage {
    pub page_number: Option<u64>,
    pub page_size: Option<u64>,
    pub conversations: Vec<Json>,
}

/// What a JSON value is, for a message.
fn kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a text",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// A time at `field`'s declared path; unreadable is malformed.
fn time_at(r: &mut Reader<'_>, field: &'static str) -> Option<DateTime<Utc>> {
    let v = r.value(field)?;
    match parse_time(v) {
        Ok(t) => t,
        Err(why) => {
            r.malformed(field, why);
            None
        }
    }
}

/// The declared path of `field` within one record (the records' fields are one step deep).
fn relative(op: Operation, prefix: &str, field: &str) -> &'static str {
    let path = mapping::path(MAPPING, op, field);
    path.strip_prefix(prefix).unwrap_or(path)
}

/// A key time at `field`: absent is recorded by the reader; null,
/// empty or unreadable is malformed.
fn key_time(
    r: &mut Reader<'_>,
    object: &Json,
    op: Operation,
    prefix: &str,
    field: &'static str,
) -> Option<DateTime<Utc>> {
    match object.get(relative(op, prefix, field)) {
        Some(Json::Null) => {
            r.malformed(field, "is null");
            None
        }
        Some(Json::String(s)) if s.trim().is_empty() => {
            r.malformed(field, "is empty");
            None
        }
        _ => time_at(r, field),
    }
}

/// One user of `users find`, read at the declared paths (`mapping.rs`); `request` names the
/// request for the error.
pub(super) fn read_user(mut object: Json, request: &str) -> Result<BotUser, ProviderError> {
    canonical(
        &mut object,
        &[
            ("userId", "user_id"),
            ("channelUserId", "channel_user_id"),
            ("createdAt", "created_at"),
        ],
    );
    let mut r = Reader::new(Vendor::Engati, UsersFind, USERS, &object).with_request(request);
    let user_id = r.key_text("user_id");
    let channel = r.text("channel");
    let channel_user_id = r.text("channel_user_id");
    let name = r.text("name");
    let created_at = time_at(&mut r, "created_at");
    let attributes = r.value("attributes").cloned();
    r.finish(Rule {
        key: &["user_id"],
        counts: &[],
    })?;
    Ok(BotUser {
        user_id: user_id.unwrap_or_default(),
        channel,
        channel_user_id,
        name,
        created_at,
        attributes,
    })
}

/// One message of `conversations`, read at the declared paths (`mapping.rs`).
pub(super) fn read_message(mut object: Json, request: &str) -> Result<ChatMessage, ProviderError> {
    canonical(
        &mut object,
        &[
            ("messageId", "message_id"),
            ("text", "message"),
            ("response", "message"),
        ],
    );
    let mut r = Reader::new(Vendor::Engati, Conversations, MESSAGES, &object).with_request(request);
    let message_id = r.key_text("message_id");
    let sender = r.text("sender");
    let message = r.text("message");
    let timestamp = key_time(&mut r, &object, Conversations, MESSAGES, "timestamp");
    r.finish(Rule {
        key: &["message_id", "timestamp"],
        counts: &[],
    })?;
    Ok(ChatMessage {
        message_id,
        sender,
        message,
        timestamp,
    })
}

/// An Engati time: `YYYY-MM-DD HH:MM:SS[.fff]±hhmm` (conversations), `YYYY-MM-DD HH:MM:SS`
/// in UTC (users), RFC 3339, or epoch milliseconds as a number.
pub(super) fn parse_time(v: &serde_json::Value) -> Result<Option<DateTime<Utc>>, String> {
    let s = match v {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::Number(n) => {
            return n
                .as_i64()
                .and_then(DateTime::from_timestamp_millis)
                .map(Some)
                .ok_or_else(|| format!("unreadable time {n} (expected epoch milliseconds)"));
        }
        serde_json::Value::String(s) => s.trim(),
        other => return Err(format!("unreadable time {other}")),
    };
    if s.is_empty() {
        return Ok(None);
    }
    DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%z")
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").map(|n| n.and_utc()))
        .or_else(|_| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)))
        .map(Some)
        .map_err(|_| format!("unreadable time '{s}' (expected YYYY-MM-DD HH:MM:SS.fff+0000)"))
}

/// A status code as a number or a numeric string; anything else counts as no code.
fn opt_code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rfc(v: serde_json::Value) -> String {
        parse_time(&v).unwrap().unwrap().to_rfc3339()
    }

    #[test]
    fn times_in_every_documented_shape_become_utc() {
        assert_eq!(
            rfc(json!("2026-04-01 13:05:00.250+0000")),
            "2026-04-01T13:05:00.250+00:00"
        );
        assert_eq!(
            rfc(json!("2024-01-31 12:34:56.789+0530")),
            "2024-01-31T07:04:56.789+00:00"
        );
        assert_eq!(
            rfc(json!("2026-04-01 13:05:00")),
            "2026-04-01T13:05:00+00:00"
        );
        assert_eq!(
            rfc(json!("2026-04-01T13:05:00Z")),
            "2026-04-01T13:05:00+00:00"
        );
        assert_eq!(rfc(json!(1775048700000_i64)), "2026-04-01T13:05:00+00:00");
        assert_eq!(parse_time(&json!(null)).unwrap(), None);
        assert!(parse_time(&json!("01/04/2026")).is_err());
    }

    #[test]
    fn status_codes_may_be_strings_and_text_may_be_desc_or_message() {
        let s = Status::of(&json!({"status": {"code": "1002", "message": "INVALID"}})).unwrap();
        assert_eq!(s.code, Some(1002));
        assert_eq!(s.name(), Some("INVALID"));
        assert_eq!(s.details(), None);
        let s = Status::of(&json!({"status": {"code": 1003, "desc": "X", "details": "why"}}));
        assert_eq!(s.unwrap().details().as_deref(), Some("why"));
        assert!(Status::of(&json!({"responseObject": {}})).is_none());
    }

    fn user(object: serde_json::Value) -> Result<BotUser, ProviderError> {
        read_user(object, "GET /users")
    }

    fn message(object: serde_json::Value) -> Result<ChatMessage, ProviderError> {
        read_message(object, "GET /conversations")
    }

    #[test]
    fn users_keep_numeric_ids_as_text_and_read_the_camel_case_variants() {
        let u = user(json!({"userId": 42, "channel": "whatsapp",
            "channelUserId": 573001234567_u64, "name": "Ana", "createdAt": "2026-03-02 14:05:09",
            "attributes": null}))
        .unwrap();
        assert_eq!(u.user_id, "42");
        assert_eq!(u.channel_user_id.as_deref(), Some("573001234567"));
        assert_eq!(
            u.created_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-03-02T14:05:09+00:00")
        );
        assert_eq!(u.attributes, None);
    }

    #[test]
    fn a_user_without_its_id_is_unreadable_naming_the_path_and_what_it_holds() {
        let e = user(json!({"channel": "whatsapp", "channel_user_id": "573001"})).unwrap_err();
        assert_eq!(e.kind, crate::provider::ErrorKind::BadResponse);
        assert_eq!(
            e.message,
            "cannot read Engati's answer to 'users find': it lacks responseObject.users[].user_id (the answer holds: channel, channel_user_id)"
        );
        for id in [json!(null), json!(" ")] {
            let e = user(json!({"user_id": id, "channel": "whatsapp"})).unwrap_err();
            assert!(
                e.message.contains("responseObject.users[].user_id: is"),
                "{}",
                e.message
            );
        }
        let e = user(json!({"user_id": "u1", "created_at": "01/04/2026"})).unwrap_err();
        assert!(
            e.message
                .contains("responseObject.users[].created_at: unreadable time"),
            "{}",
            e.message
        );
    }

    #[test]
    fn messages_accept_the_text_and_response_variants() {
        let base = json!({"message_id": "m1", "sender": "bot", "timestamp": "2026-04-01 13:05:00.250+0000"});
        for alias in ["message", "text", "response"] {
            let mut m = base.clone();
            m[alias] = json!("hola");
            assert_eq!(
                message(m).unwrap().message.as_deref(),
                Some("hola"),
                "{alias}"
            );
        }
    }

    #[test]
    fn a_message_without_its_id_or_time_is_unreadable() {
        let e =
            message(json!({"sender": "bot", "message": "hi", "timestamp": "2026-04-01 13:05:00"}))
                .unwrap_err();
        assert!(
            e.message
                .contains("it lacks responseObject.conversations[].message_id"),
            "{}",
            e.message
        );
        let e = message(json!({"message_id": "m1", "message": "hi"})).unwrap_err();
        assert!(
            e.message
                .contains("it lacks responseObject.conversations[].timestamp"),
            "{}",
            e.message
        );
        let e = message(json!({"message_id": "m1", "timestamp": null})).unwrap_err();
        assert!(
            e.message
                .contains("responseObject.conversations[].timestamp: is null"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_users_answer_without_a_users_list_is_unreadable_but_none_at_all_is_no_users() {
        let resp = crate::http::ApiResponse {
            status: reqwest::StatusCode::OK,
            headers: Default::default(),
            body: Default::default(),
            request_line: "GET /users".into(),
        };
        assert!(users_of(json!(null), &resp).unwrap().is_empty());
        assert_eq!(users_of(json!([{"user_id": 1}]), &resp).unwrap().len(), 1);
        let e = users_of(json!({"people": []}), &resp).unwrap_err();
        assert_eq!(
            e.message,
            "the responseObject has no users list (responseObject.users; it holds: people)"
        );
        let e = conversation_page(json!({"page_number": 1, "items": []}), &resp).unwrap_err();
        assert_eq!(
            e.message,
            "the responseObject has no conversations list (responseObject.conversations; it holds: items, page_number)"
        );
        let p = conversation_page(json!({"page_size": 2, "messages": [{}]}), &resp).unwrap();
        assert_eq!(
            (p.page_number, p.page_size, p.conversations.len()),
            (None, Some(2), 1)
        );
    }
}
