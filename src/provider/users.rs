//! Capability family: a bot platform's user directory and chat history (Engati's users and
//! conversations APIs). Vendors that have one return it from
//! [`AnalyticsProvider::user_directory`](super::AnalyticsProvider::user_directory); the others
//! keep the default `None`, and `users find` / `conversations` fail with exit 2 for them.

use chrono::{DateTime, Utc};

use super::model::{text, time};
use super::{Record, RecordStream};
use crate::output::{FieldDef, FieldKind, Value};
use crate::time::DateRange;

/// Parameters of `users find`: every user whose attribute `attribute` equals `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserQuery {
    /// The attribute's name (`feedback`, `city`, …).
    pub attribute: String,
    /// The value it must have, compared by the vendor.
    pub value: String,
}

/// Parameters of `conversations`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationQuery {
    /// Only messages in this half-open range; `None` is the vendor's default (Engati: the
    /// whole history).
    pub range: Option<DateRange>,
    /// Stop after this many messages in total (every page when `None`).
    pub limit: Option<u64>,
    /// Messages per request, within the vendor's maximum (the maximum when `None`).
    pub page_size: Option<u64>,
}

/// A user of the bot (`users find`), with product.md's "Engati user" fields.
#[derive(Debug, Clone, PartialEq)]
pub struct BotUser {
    /// The vendor's user id.
    pub user_id: String,
    /// The channel the user talks on (`whatsapp`).
    pub channel: Option<String>,
    /// The user's id on that channel (for WhatsApp, the phone number exactly as sent); this is
    /// the id `conversations` takes.
    pub channel_user_id: Option<String>,
    /// The user's name.
    pub name: Option<String>,
    /// When the user first reached the bot.
    pub created_at: Option<DateTime<Utc>>,
    /// The user's attributes, as the vendor sent them (an object).
    pub attributes: Option<serde_json::Value>,
}

/// One message of a user's chat history (`conversations`), with product.md's "Engati message"
/// fields.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    /// The vendor's message id.
    pub message_id: Option<String>,
    /// Who wrote it: `bot`, `user` or `agent`.
    pub sender: Option<String>,
    /// The text.
    pub message: Option<String>,
    /// When it was sent.
    pub timestamp: Option<DateTime<Utc>>,
}

/// A vendor's user directory and chat history.
pub trait UserDirectory: Send + Sync {
    /// Every user whose attribute matches (the vendor answers them all at once).
    fn find_users<'a>(&'a self, query: &'a UserQuery) -> RecordStream<'a, BotUser>;

    /// The chat history of one user (by channel user id), oldest first, every page unless
    /// `query.limit` says otherwise.
    fn conversations<'a>(
        &'a self,
        user: &'a str,
        query: &'a ConversationQuery,
    ) -> RecordStream<'a, ChatMessage>;
}

impl Record for BotUser {
    fn common_fields() -> Vec<FieldDef> {
        vec![
            FieldDef::new("user_id", FieldKind::Text, "the vendor's user id"),
            FieldDef::new(
                "channel",
                FieldKind::Text,
                "the channel the user talks on (whatsapp, …)",
            ),
            FieldDef::new(
                "channel_user_id",
                FieldKind::Text,
                "the user's id on the channel (WhatsApp: the phone number); what 'conversations' takes",
            ),
            FieldDef::new("name", FieldKind::Text, "the user's name"),
            FieldDef::new(
                "created_at",
                FieldKind::Time,
                "when the user first reached the bot (UTC)",
            ),
            FieldDef::new(
                "attributes",
                FieldKind::Json,
                "the user's attributes (compact JSON in CSV)",
            ),
        ]
    }

    fn into_row(self) -> Vec<Value> {
        vec![
            Value::Text(self.user_id),
            text(self.channel),
            text(self.channel_user_id),
            text(self.name),
            time(self.created_at),
            self.attributes.map_or(Value::Null, Value::Json),
        ]
    }

    /// A user is the vendor's user id.
    fn identity<H: std::hash::Hasher>(&self, h: &mut H) -> bool {
        use std::hash::Hash;
        self.user_id.hash(h);
        true
    }
}

impl Record for ChatMessage {
    fn common_fields() -> Vec<FieldDef> {
        vec![
            FieldDef::new("message_id", FieldKind::Text, "the vendor's message id"),
            FieldDef::new(
                "sender",
                FieldKind::Text,
                "who wrote it: bot, user or agent",
            ),
            FieldDef::new("message", FieldKind::Text, "the text"),
            FieldDef::new("timestamp", FieldKind::Time, "when it was sent (UTC)"),
        ]
    }

    fn into_row(self) -> Vec<Value> {
        vec![
            text(self.message_id),
            text(self.sender),
            text(self.message),
            time(self.timestamp),
        ]
    }

    /// A message is its id (one without is always written).
    fn identity<H: std::hash::Hasher>(&self, h: &mut H) -> bool {
        use std::hash::Hash;
        let Some(id) = &self.message_id else {
            return false;
        };
        id.hash(h);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_declared_fields() {
        let user = BotUser {
            user_id: "u1".into(),
            channel: Some("whatsapp".into()),
            channel_user_id: Some("+573001234567".into()),
            name: None,
            created_at: None,
            attributes: Some(serde_json::json!({"city": "Cali"})),
        };
        let row = user.into_row();
        assert_eq!(row.len(), BotUser::common_fields().len());
        assert_eq!(row[2], Value::Text("+573001234567".into()));
        assert_eq!(row[5], Value::Json(serde_json::json!({"city": "Cali"})));
        let msg = ChatMessage {
            message_id: None,
            sender: Some("bot".into()),
            message: Some("hi".into()),
            timestamp: None,
        };
        assert_eq!(msg.into_row().len(), ChatMessage::common_fields().len());
    }
}
