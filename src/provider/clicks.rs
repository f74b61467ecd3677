//! The click-report capability family: WhatsApp click detail and click totals (Wolkvox chat_14
//! and chat_15, vendors.md Part 2 §4.2). Vendors that serve it return `Some` from
//! [`AnalyticsProvider::click_reports`](crate::provider::AnalyticsProvider::click_reports).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::output::{FieldDef, FieldKind, Value};
use crate::provider::model::{count, text};
use crate::provider::{ProviderError, QueryRange, Record, RecordStream};

/// Reports of clicks on ads and posts that open a WhatsApp chat.
#[async_trait]
pub trait ClickReports: Send + Sync {
    /// One row per click in the range, oldest first, every window of the range.
    fn clicks<'a>(&'a self, range: &'a QueryRange) -> RecordStream<'a, Click>;

    /// The click totals of the range, by source (ad or post) and by who answered.
    async fn click_summary(&self, range: &QueryRange) -> Result<ClickSummary, ProviderError>;
}

/// One click that opened a WhatsApp chat (`clicks`). Field names are the vendor's (chat_14),
/// `chat_id` first (product.md, "Output contract").
#[derive(Debug, Clone, PartialEq)]
pub struct Click {
    /// The chat the click opened.
    pub chat_id: Option<String>,
    /// The ad's or post's address.
    pub source_url: Option<String>,
    /// `ad` or `post`.
    pub source_type: Option<String>,
    /// The ad's or post's id.
    pub source_id: Option<String>,
    /// The routing point that took the chat.
    pub rp_id: Option<String>,
    /// The agent who answered; empty when the chatbot did.
    pub agent_id: Option<String>,
    /// `image` or `video`.
    pub media_type: Option<String>,
    /// The ad's media.
    pub media_url: Option<String>,
    /// When the click happened.
    pub date: Option<DateTime<Utc>>,
    /// The activity code the chat was closed with.
    pub cod_act: Option<String>,
}

/// The click totals of a range (`clicks summary`, chat_15), summed over its windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClickSummary {
    /// Clicks on ads answered by the chatbot.
    pub ad_chatbot: Option<u64>,
    /// Clicks on ads answered by agents.
    pub ad_agents: Option<u64>,
    /// Clicks on posts answered by the chatbot.
    pub post_chatbot: Option<u64>,
    /// Clicks on posts answered by agents.
    pub post_agents: Option<u64>,
    /// All clicks answered by the chatbot.
    pub total_chatbot: Option<u64>,
    /// All clicks answered by agents.
    pub total_agents: Option<u64>,
}

impl Record for Click {
    fn common_fields() -> Vec<FieldDef> {
        vec![
            FieldDef::new("chat_id", FieldKind::Text, "the chat the click opened"),
            FieldDef::new("source_url", FieldKind::Text, "the ad's or post's address"),
            FieldDef::new("source_type", FieldKind::Text, "ad or post"),
            FieldDef::new("source_id", FieldKind::Text, "the ad's or post's id"),
            FieldDef::new(
                "rp_id",
                FieldKind::Text,
                "the routing point that took the chat",
            ),
            FieldDef::new(
                "agent_id",
                FieldKind::Text,
                "the agent who answered, empty when the chatbot did",
            ),
            FieldDef::new("media_type", FieldKind::Text, "image or video"),
            FieldDef::new("media_url", FieldKind::Text, "the ad's media"),
            FieldDef::new("date", FieldKind::Time, "when the click happened (UTC)"),
            FieldDef::new(
                "cod_act",
                FieldKind::Text,
                "the activity code the chat was closed with",
            ),
        ]
    }

    fn into_row(self) -> Vec<Value> {
        vec![
            text(self.chat_id),
            text(self.source_url),
            text(self.source_type),
            text(self.source_id),
            text(self.rp_id),
            text(self.agent_id),
            text(self.media_type),
            text(self.media_url),
            self.date.map_or(Value::Null, Value::Time),
            text(self.cod_act),
        ]
    }

    /// The chat the click opened and when it happened (what Wolkvox's windows are told apart
    /// by, too).
    fn identity<H: std::hash::Hasher>(&self, h: &mut H) -> bool {
        use std::hash::Hash;
        let Some(chat) = &self.chat_id else {
            return false;
        };
        (chat, self.date).hash(h);
        true
    }
}

impl Record for ClickSummary {
    fn common_fields() -> Vec<FieldDef> {
        vec![
            FieldDef::new(
                "ad_chatbot",
                FieldKind::Count,
                "clicks on ads answered by the chatbot",
            ),
            FieldDef::new(
                "ad_agents",
                FieldKind::Count,
                "clicks on ads answered by agents",
            ),
            FieldDef::new(
                "post_chatbot",
                FieldKind::Count,
                "clicks on posts answered by the chatbot",
            ),
            FieldDef::new(
                "post_agents",
                FieldKind::Count,
                "clicks on posts answered by agents",
            ),
            FieldDef::new(
                "total_chatbot",
                FieldKind::Count,
                "all clicks answered by the chatbot",
            ),
            FieldDef::new(
                "total_agents",
                FieldKind::Count,
                "all clicks answered by agents",
            ),
        ]
    }

    fn into_row(self) -> Vec<Value> {
        vec![
            count(self.ad_chatbot),
            count(self.ad_agents),
            count(self.post_chatbot),
            count(self.post_agents),
            count(self.total_chatbot),
            count(self.total_agents),
        ]
    }
}
