//! chat_14 click rows and chat_15 click totals (vendors.md Part 2 §4.2), read through the shared
//! [`Reader`] at the paths the mapping declares: a click without its `chat_id`, or a totals row
//! with none of its counts, is unreadable (exit 6); another field missing is null with one
//! warning per run.

use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::Value as Json;

use crate::provider::mapping;
use crate::provider::read::{Reader, Rule};
use crate::provider::{Click, ClickSummary, Operation, ProviderError, Vendor};
use crate::time::Zone;

use super::mapping::MAPPING;
use super::wire::{ROW, WireRow, local_time};

/// chat_14's request, for the errors.
const CLICKS_REQUEST: &str = "GET /reports_manager.php?api=chat_14";
/// chat_15's request, for the errors.
const TOTALS_REQUEST: &str = "GET /reports_manager.php?api=chat_15";

/// A click's identity: its chat.
const CLICK: Rule = Rule {
    key: &["chat_id"],
    counts: &[],
};

/// The counts of chat_15, in output order; a row needs one of them.
const TOTALS: [&str; 6] = [
    "ad_chatbot",
    "ad_agents",
    "post_chatbot",
    "post_agents",
    "total_chatbot",
    "total_agents",
];

/// A totals row needs at least one of its counts.
const TOTALS_RULE: Rule = Rule {
    key: &[],
    counts: &TOTALS,
};

/// The vendor field name of `field` of `op`: its declared path without `data[].`.
fn name(op: Operation, field: &str) -> &'static str {
    let path = mapping::path(MAPPING, op, field);
    path.strip_prefix(ROW)
        .unwrap_or_else(|| panic!("{path} does not start with {ROW}"))
}

/// chat_14's `chat_id` and `date`, the identity of a row across windows.
static KEY_NAMES: LazyLock<(&str, &str)> = LazyLock::new(|| {
    (
        name(Operation::Clicks, "chat_id"),
        name(Operation::Clicks, "date"),
    )
});

/// A chat_14 row as the vendor sent it.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub(super) struct ClickRow(Json);

/// A text or a number as text; anything else (or an empty text) is `None`.
fn plain(v: &Json) -> Option<String> {
    match v {
        Json::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl WireRow for ClickRow {
    /// The chat and the time of the click, at their declared paths.
    fn key(&self) -> Option<String> {
        let (chat, date) = *KEY_NAMES;
        let chat = plain(self.0.get(chat)?)?;
        let date = self.0.get(date).and_then(plain).unwrap_or_default();
        Some(format!("{chat}\u{1f}{date}"))
    }
}

/// A text at `field`'s declared path; empty is `None` (a field Wolkvox leaves empty has no
/// value, e.g. `agent_id` of a chat the chatbot answered).
fn text(r: &mut Reader<'_>, field: &'static str) -> Option<String> {
    r.text(field).filter(|s| !s.trim().is_empty())
}

impl ClickRow {
    /// The unified click; `date` is a wall-clock time of the operation's zone.
    pub fn into_unified(self, zone: &Zone) -> Result<Click, ProviderError> {
        let mut r = Reader::new(Vendor::Wolkvox, Operation::Clicks, ROW, &self.0)
            .with_request(CLICKS_REQUEST);
        let chat_id = text(&mut r, "chat_id");
        let source_url = text(&mut r, "source_url");
        let source_type = text(&mut r, "source_type");
        let source_id = text(&mut r, "source_id");
        let rp_id = text(&mut r, "rp_id");
        let agent_id = text(&mut r, "agent_id");
        let media_type = text(&mut r, "media_type");
        let media_url = text(&mut r, "media_url");
        let date = match text(&mut r, "date") {
            None => None,
            Some(s) => local_time("date", Some(&s), zone).unwrap_or_else(|why| {
                r.malformed("date", why);
                None
            }),
        };
        let cod_act = text(&mut r, "cod_act");
        r.finish(CLICK)?;
        Ok(Click {
            chat_id,
            source_url,
            source_type,
            source_id,
            rp_id,
            agent_id,
            media_type,
            media_url,
            date,
            cod_act,
        })
    }
}

/// A count of chat_15: a whole number, or a string of its digits (Part 2 §4.2 types every field
/// as a string). An empty string is `None`, with a warning; anything else is malformed.
fn total(r: &mut Reader<'_>, field: &'static str) -> Option<u64> {
    match r.value(field)? {
        Json::String(s) if s.trim().is_empty() => {
            crate::warn_once!(
                format!("empty Wolkvox clicks summary {field}"),
                "Wolkvox's answer to 'clicks summary' has an empty {}: {field} is null",
                mapping::path(MAPPING, Operation::ClicksSummary, field)
            );
            None
        }
        Json::String(s) => match s.trim().parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                r.malformed(field, format!("'{s}' is not a count"));
                None
            }
        },
        _ => r.count(field),
    }
}

/// The click totals of one window, read at the declared paths.
pub(super) fn totals(row: &Json) -> Result<ClickSummary, ProviderError> {
    let mut r = Reader::new(Vendor::Wolkvox, Operation::ClicksSummary, ROW, row)
        .with_request(TOTALS_REQUEST);
    let [
        ad_chatbot,
        ad_agents,
        post_chatbot,
        post_agents,
        total_chatbot,
        total_agents,
    ] = TOTALS.map(|field| total(&mut r, field));
    r.finish(TOTALS_RULE)?;
    Ok(ClickSummary {
        ad_chatbot,
        ad_agents,
        post_chatbot,
        post_agents,
        total_chatbot,
        total_agents,
    })
}

/// `sum + window`, field by field: a count either side lacks makes the sum unknown.
pub(super) fn add(sum: &mut ClickSummary, window: &ClickSummary) {
    fn plus(sum: &mut Option<u64>, n: Option<u64>) {
        *sum = match (*sum, n) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
    }
    plus(&mut sum.ad_chatbot, window.ad_chatbot);
    plus(&mut sum.ad_agents, window.ad_agents);
    plus(&mut sum.post_chatbot, window.post_chatbot);
    plus(&mut sum.post_agents, window.post_agents);
    plus(&mut sum.total_chatbot, window.total_chatbot);
    plus(&mut sum.total_agents, window.total_agents);
}
