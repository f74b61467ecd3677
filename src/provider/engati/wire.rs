//! Engati's wire types (vendors.md Part 1 "Engati", tolerant of the Part 2 variants) and their
//! conversion into the unified records. Private to this folder.

use crate::provider::de::{opt_string_or_number, string_or_number};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer};

use crate::provider::users::{BotUser, ChatMessage};

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

/// The users API's `responseObject`: `{"users":[…]}` (Part 1), or a bare list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum UsersObject {
    Wrapped {
        #[serde(default)]
        users: Vec<WireUser>,
    },
    List(Vec<WireUser>),
}

impl UsersObject {
    pub(super) fn into_users(self) -> Vec<WireUser> {
        match self {
            UsersObject::Wrapped { users } | UsersObject::List(users) => users,
        }
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct WireUser {
    #[serde(alias = "userId", deserialize_with = "string_or_number")]
    user_id: String,
    #[serde(default)]
    channel: Option<String>,
    #[serde(
        default,
        alias = "channelUserId",
        deserialize_with = "opt_string_or_number"
    )]
    channel_user_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, alias = "createdAt")]
    created_at: Option<serde_json::Value>,
    #[serde(default)]
    attributes: Option<serde_json::Value>,
}

/// The conversations API's `responseObject` (Part 1): the page echoed, and the messages (a
/// `messages` list is tolerated, Part 2 §2.3).
#[derive(Debug, Deserialize)]
pub(super) struct ConversationPage {
    #[serde(default)]
    pub page_number: Option<u64>,
    #[serde(default)]
    pub page_size: Option<u64>,
    #[serde(default, alias = "messages")]
    pub conversations: Vec<WireMessage>,
}

#[derive(Debug, Deserialize)]
pub(super) struct WireMessage {
    #[serde(
        default,
        alias = "messageId",
        deserialize_with = "opt_string_or_number"
    )]
    pub message_id: Option<String>,
    #[serde(default)]
    sender: Option<String>,
    #[serde(default, alias = "text", alias = "response")]
    message: Option<String>,
    #[serde(default)]
    timestamp: Option<serde_json::Value>,
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

impl WireUser {
    pub(super) fn into_unified(self) -> Result<BotUser, String> {
        let created_at = match &self.created_at {
            Some(v) => parse_time(v)?,
            None => None,
        };
        Ok(BotUser {
            user_id: self.user_id,
            channel: self.channel,
            channel_user_id: self.channel_user_id,
            name: self.name,
            created_at,
            attributes: self.attributes.filter(|a| !a.is_null()),
        })
    }
}

impl WireMessage {
    pub(super) fn into_unified(self) -> Result<ChatMessage, String> {
        let timestamp = match &self.timestamp {
            Some(v) => parse_time(v)?,
            None => None,
        };
        Ok(ChatMessage {
            message_id: self.message_id,
            sender: self.sender,
            message: self.message,
            timestamp,
        })
    }
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

    #[test]
    fn users_keep_numeric_ids_as_text_and_accept_a_bare_list() {
        let o: UsersObject = serde_json::from_value(
            json!([{"user_id": 42, "channel_user_id": 573001234567_u64, "attributes": null}]),
        )
        .unwrap();
        let u = o.into_users().remove(0).into_unified().unwrap();
        assert_eq!(u.user_id, "42");
        assert_eq!(u.channel_user_id.as_deref(), Some("573001234567"));
        assert_eq!(u.attributes, None);
    }

    #[test]
    fn messages_accept_the_text_alias_and_a_messages_list() {
        let p: ConversationPage = serde_json::from_value(json!({
            "messages": [{"message_id": "m1", "sender": "bot", "text": "hola", "timestamp": null}]
        }))
        .unwrap();
        assert_eq!(p.page_size, None);
        let m = p
            .conversations
            .into_iter()
            .next()
            .unwrap()
            .into_unified()
            .unwrap();
        assert_eq!(m.message.as_deref(), Some("hola"));
    }
}
