//! Insider's answers converted, once, into the unified records, and the vendor-only fields that
//! follow the common ones (product.md, "Records"; the sources are declared in
//! [`super::mapping`]: Insider's `open` is `read`, `click` is `engaged`, `targeted` is `total`,
//! `drop` + `undelivered` are `errors`; rates are derived from those counts with
//! [`figures::ratio`], since Insider returns none).
//!
//! Every field is read at its declared path through [`Fields`]: the shared
//! [`Reader`] for the commands the mapping describes, [`super::view::View`] for the
//! summary-shaped rows of `stats --by-campaign` and `--total`.

use chrono::{DateTime, Utc};
use serde_json::Value as Json;

use crate::output::{FieldDef, FieldKind, Value};
use crate::provider::figures;
use crate::provider::model::count;
use crate::provider::read::{Reader, Rule};
use crate::provider::{Campaign, CampaignSummary, CampaignType, Operation, ProviderError, Vendor};

use super::wire::snake_keys;

/// Reading one object's fields by their declared paths: what a missing or unreadable field
/// means is decided when the reader finishes.
pub(super) trait Fields<'a> {
    /// The JSON at the field's path (`None` when absent, remembered, or null).
    fn value(&mut self, field: &'static str) -> Option<&'a Json>;
    /// The JSON at the path of a field whose absence is normal (the conversational campaigns'
    /// `responses`): null without a warning when absent.
    fn optional(&mut self, field: &'static str) -> Option<&'a Json>;
    /// A non-negative whole number; anything else present is remembered as malformed.
    fn count(&mut self, field: &'static str) -> Option<u64>;
    /// A text (a number is taken as its digits).
    fn text(&mut self, field: &'static str) -> Option<String>;
    /// A field present but unreadable for a reason of the conversion's own.
    fn malformed(&mut self, field: &'static str, why: String);
}

/// The shared [`Reader`] over one object of a command the mapping describes.
pub(super) struct Declared<'a> {
    reader: Reader<'a>,
}

impl<'a> Declared<'a> {
    /// Reads `object` of `op`'s answer to `request`; its paths start with `prefix`.
    pub fn new(op: Operation, prefix: &'static str, object: &'a Json, request: &str) -> Self {
        Declared {
            reader: Reader::new(Vendor::Insider, op, prefix, object).with_request(request),
        }
    }

    /// The shared policy ([`Reader::finish`]).
    pub fn finish(self, rule: Rule) -> Result<(), ProviderError> {
        self.reader.finish(rule)
    }
}

impl<'a> Fields<'a> for Declared<'a> {
    fn value(&mut self, field: &'static str) -> Option<&'a Json> {
        self.reader.value(field)
    }
    fn optional(&mut self, field: &'static str) -> Option<&'a Json> {
        self.reader.optional(field)
    }
    fn count(&mut self, field: &'static str) -> Option<u64> {
        self.reader.count(field)
    }
    fn text(&mut self, field: &'static str) -> Option<String> {
        self.reader.text(field)
    }
    fn malformed(&mut self, field: &'static str, why: String) {
        self.reader.malformed(field, why);
    }
}

/// The counts of a summary-shaped row: an answer with none of them is another schema (exit 6).
pub(super) const COUNTS: &[&str] = &[
    "total",
    "sent",
    "delivered",
    "read",
    "engaged",
    "drop",
    "undelivered",
];

/// Insider's campaign type ids (Part 2 §3.3) and the names of the `type` column and `--type`.
const TYPES: [(u64, CampaignType); 5] = [
    (1, CampaignType::Standard),
    (2, CampaignType::AbTest),
    (3, CampaignType::Split),
    (5, CampaignType::Transactional),
    (6, CampaignType::Other),
];

/// The Insider id of a `--type`, or `None` for a type Insider does not have.
pub(super) fn type_id(t: CampaignType) -> Option<u8> {
    TYPES.iter().find(|(_, c)| *c == t).map(|(id, _)| *id as u8)
}

/// The `type` column for an Insider type id (an unknown id is shown as the number).
fn type_name(id: u64) -> String {
    TYPES
        .iter()
        .find(|(i, _)| *i == id)
        .map_or_else(|| id.to_string(), |(_, c)| c.as_str().to_string())
}

/// The `--type` values Insider takes, for messages.
pub(super) fn type_names() -> String {
    TYPES
        .iter()
        .map(|(_, c)| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn nested(v: Option<&Json>) -> Value {
    match v {
        None | Some(Json::Null) => Value::Null,
        Some(v) => Value::Json(snake_keys(v.clone())),
    }
}

fn text(v: Option<&str>) -> Value {
    v.map_or(Value::Null, |s| Value::Text(s.to_string()))
}

/// A vendor-only field of a summary-shaped row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Extra {
    Status,
    Account,
    Drop,
    Undelivered,
    DeliveryPending,
    Conversion,
    Revenue,
    Unsubscribe,
    Verified,
    Unverified,
    DropDetails,
    UndeliveredDetails,
    UnverifiedDetails,
    Responses,
    ResponseSummary,
}

/// `campaigns summary` (the campaign endpoint: every field of Part 2 §3.3.1).
pub(super) const SUMMARY: &[Extra] = &[
    Extra::Drop,
    Extra::Undelivered,
    Extra::DeliveryPending,
    Extra::Conversion,
    Extra::Revenue,
    Extra::Unsubscribe,
    Extra::DropDetails,
    Extra::UndeliveredDetails,
    Extra::Responses,
    Extra::ResponseSummary,
];

/// `stats --by-campaign` (overall `details` rows).
pub(super) const BY_CAMPAIGN: &[Extra] = &[
    Extra::Status,
    Extra::Account,
    Extra::Drop,
    Extra::Undelivered,
    Extra::DeliveryPending,
    Extra::Conversion,
    Extra::Revenue,
    Extra::Unsubscribe,
    Extra::DropDetails,
    Extra::UndeliveredDetails,
];

/// `stats --total` of the campaigns and transactional reports.
pub(super) const TOTAL: &[Extra] = &[
    Extra::Drop,
    Extra::Undelivered,
    Extra::DeliveryPending,
    Extra::Conversion,
    Extra::Revenue,
    Extra::Unsubscribe,
    Extra::DropDetails,
    Extra::UndeliveredDetails,
];

/// `stats --report verify --total`: the OTP figures of Part 2 §3.3.4 as well.
pub(super) const VERIFY_TOTAL: &[Extra] = &[
    Extra::Drop,
    Extra::Undelivered,
    Extra::DeliveryPending,
    Extra::Conversion,
    Extra::Revenue,
    Extra::Unsubscribe,
    Extra::Verified,
    Extra::Unverified,
    Extra::DropDetails,
    Extra::UndeliveredDetails,
    Extra::UnverifiedDetails,
];

impl Extra {
    pub fn def(self) -> FieldDef {
        use FieldKind::{Count, Json, Text};
        match self {
            Extra::Status => FieldDef::new("status", Text, "campaign status (Insider's words)"),
            Extra::Account => FieldDef::new("account", Text, "the sender phone number"),
            Extra::Drop => FieldDef::new("drop", Count, "messages dropped before sending"),
            Extra::Undelivered => {
                FieldDef::new("undelivered", Count, "messages sent but not delivered")
            }
            Extra::DeliveryPending => FieldDef::new(
                "delivery_pending",
                Count,
                "messages sent, delivery not yet reported",
            ),
            Extra::Conversion => FieldDef::new("conversion", Count, "conversions"),
            Extra::Revenue => FieldDef::new("revenue", Count, "revenue from conversions"),
            Extra::Unsubscribe => FieldDef::new("unsubscribe", Count, "unsubscribes"),
            Extra::Verified => FieldDef::new("verified", Count, "OTP codes verified"),
            Extra::Unverified => FieldDef::new("unverified", Count, "OTP codes not verified"),
            Extra::DropDetails => FieldDef::new(
                "drop_details",
                Json,
                "drops by reason (frequency_capped, duplicates, invalid_phone_numbers, …)",
            ),
            Extra::UndeliveredDetails => FieldDef::new(
                "undelivered_details",
                Json,
                "undelivered messages by reason (recipient_related_errors, meta_errors, …)",
            ),
            Extra::UnverifiedDetails => {
                FieldDef::new("unverified_details", Json, "unverified OTPs by reason")
            }
            Extra::Responses => FieldDef::new(
                "responses",
                Json,
                "conversational campaigns: per reply card (card_id, button_name, sent, delivered, open, click, conversion, revenue, is_no_reply_message)",
            ),
            Extra::ResponseSummary => FieldDef::new(
                "response_summary",
                Json,
                "conversational campaigns: totals of the replies (sent, open, click, conversion, button_click)",
            ),
        }
    }

    /// The unified field this extra is.
    pub fn field(self) -> &'static str {
        match self {
            Extra::Status => "status",
            Extra::Account => "account",
            Extra::Drop => "drop",
            Extra::Undelivered => "undelivered",
            Extra::DeliveryPending => "delivery_pending",
            Extra::Conversion => "conversion",
            Extra::Revenue => "revenue",
            Extra::Unsubscribe => "unsubscribe",
            Extra::Verified => "verified",
            Extra::Unverified => "unverified",
            Extra::DropDetails => "drop_details",
            Extra::UndeliveredDetails => "undelivered_details",
            Extra::UnverifiedDetails => "unverified_details",
            Extra::Responses => "responses",
            Extra::ResponseSummary => "response_summary",
        }
    }

    /// The extra's value, read at its declared path (`drop` and `undelivered` are read once,
    /// for `errors`, and passed in).
    fn value<'a>(
        self,
        r: &mut impl Fields<'a>,
        drop: Option<u64>,
        undelivered: Option<u64>,
    ) -> Value {
        let field = self.field();
        match self {
            Extra::Status | Extra::Account => text(r.text(field).as_deref()),
            Extra::Drop => count(drop),
            Extra::Undelivered => count(undelivered),
            Extra::DeliveryPending
            | Extra::Conversion
            | Extra::Unsubscribe
            | Extra::Verified
            | Extra::Unverified => count(r.count(field)),
            Extra::Revenue => match r.value(field) {
                None => Value::Null,
                Some(Json::Number(n)) => n
                    .as_i64()
                    .map(Value::Int)
                    .or_else(|| n.as_f64().map(Value::Float))
                    .unwrap_or(Value::Null),
                Some(other) => {
                    r.malformed(field, format!("{other} is not a number"));
                    Value::Null
                }
            },
            Extra::DropDetails | Extra::UndeliveredDetails | Extra::UnverifiedDetails => {
                nested(r.value(field))
            }
            // Conversational campaigns only (Part 2 §3.3.1): absent for the others.
            Extra::Responses | Extra::ResponseSummary => nested(r.optional(field)),
        }
    }
}

/// The field definitions of `extras`, in order.
pub(super) fn defs(extras: &[Extra]) -> Vec<FieldDef> {
    extras.iter().map(|e| e.def()).collect()
}

/// Where a summary-shaped row's `id`, `name` and `type` come from.
pub(super) enum Identity {
    /// `campaigns summary`: the id asked for; Insider's statistics carry no name or type.
    Asked(String),
    /// An overall `details` row: its own id, name and type id.
    Read,
    /// The totals of a range: no campaign.
    None,
}

/// A summary-shaped row from an Insider counts object (the campaign statistics, an overall
/// `summary` or `details` row, a flat transactional or verify answer). The caller finishes the
/// reader with [`COUNTS`].
pub(super) fn summary<'a>(
    r: &mut impl Fields<'a>,
    identity: Identity,
    extras: &[Extra],
) -> CampaignSummary {
    let (id, name, campaign_type) = match identity {
        Identity::Asked(id) => (Some(id), None, None),
        Identity::Read => (r.text("id"), r.text("name"), r.count("type").map(type_name)),
        Identity::None => (None, None, None),
    };
    let total = r.count("total");
    let sent = r.count("sent");
    let delivered = r.count("delivered");
    let read = r.count("read");
    let engaged = r.count("engaged");
    let drop = r.count("drop");
    let undelivered = r.count("undelivered");
    // Both or nothing: half of the failures is not the errors.
    let errors = drop.zip(undelivered).map(|(d, u)| d.saturating_add(u));
    CampaignSummary {
        id,
        name,
        campaign_type,
        total,
        sent,
        delivered,
        read,
        engaged,
        errors,
        read_rate: figures::ratio(read, delivered),
        engagement_rate: figures::ratio(engaged, delivered),
        error_rate: figures::ratio(errors, total),
        extra: extras
            .iter()
            .map(|e| e.value(r, drop, undelivered))
            .collect(),
    }
}

/// `campaigns summary` from the campaign endpoint's object (already out of a `data.statistics`
/// wrapper): read at the declared paths, exit 6 when it holds none of the counts.
pub(super) fn campaign_summary(
    object: &Json,
    id: String,
    request: &str,
) -> Result<CampaignSummary, ProviderError> {
    let mut r = Declared::new(Operation::CampaignsSummary, "", object, request);
    let s = summary(&mut r, Identity::Asked(id), SUMMARY);
    r.finish(Rule {
        key: &[],
        counts: COUNTS,
    })?;
    Ok(s)
}

/// The vendor-only fields of `campaigns list` (campaign-list items, Part 2 §3.3.5).
pub(super) fn list_fields() -> Vec<FieldDef> {
    use FieldKind::{Bool, Count, Json, Text, Time};
    vec![
        FieldDef::new("sent", Count, "messages sent over the campaign's life"),
        FieldDef::new("account", Text, "the sender phone number"),
        FieldDef::new("account_name", Text, "the sender's display name"),
        FieldDef::new(
            "active_from",
            Time,
            "when the campaign starts sending (UTC)",
        ),
        FieldDef::new(
            "active_until",
            Time,
            "when it stops sending (UTC), empty if it never ends",
        ),
        FieldDef::new("never_ends", Bool, "whether it runs with no end date"),
        FieldDef::new("is_active", Bool, "whether it is active now"),
        FieldDef::new("is_test", Bool, "whether it is a test campaign"),
        FieldDef::new("is_pinned", Bool, "whether it is pinned in the panel"),
        FieldDef::new(
            "sub_product",
            Text,
            "Insider's sub-product (standard, transactional, …)",
        ),
        FieldDef::new("status_text", Text, "the status as the panel shows it"),
        FieldDef::new("approval_status", Text, "approval status, if any"),
        FieldDef::new("failed_reason", Text, "why it failed, if it did"),
        FieldDef::new("personalization_status", Text, "personalization status"),
        FieldDef::new("query_hash", Text, "Insider's audience query hash"),
        FieldDef::new("variations", Json, "the message variations (A, B, …)"),
    ]
}

/// A time in Unix seconds (`createDate`, `activeDateStart`, …).
fn seconds<'a>(r: &mut impl Fields<'a>, field: &'static str) -> Option<DateTime<Utc>> {
    let v = r.value(field)?;
    let t = v
        .as_u64()
        .and_then(|s| DateTime::from_timestamp(i64::try_from(s).ok()?, 0));
    if t.is_none() {
        r.malformed(field, format!("{v} is not a time in Unix seconds"));
    }
    t
}

/// Insider's 0/1 flags (`isActive`), or booleans (`isPinned`).
fn flag<'a>(r: &mut impl Fields<'a>, field: &'static str) -> Option<bool> {
    match r.value(field)? {
        Json::Bool(b) => Some(*b),
        Json::Number(n) if n.as_u64() == Some(0) => Some(false),
        Json::Number(n) if n.as_u64() == Some(1) => Some(true),
        other => {
            r.malformed(field, format!("{other} is not 0, 1, true or false"));
            None
        }
    }
}

/// A loose value (`failedReason`, `approvalStatus`) as text.
fn loose(v: Option<&Json>) -> Value {
    match v {
        None | Some(Json::Null) => Value::Null,
        Some(Json::String(s)) => Value::Text(s.clone()),
        Some(other) => Value::Text(other.to_string()),
    }
}

fn cell(v: Option<bool>) -> Value {
    v.map_or(Value::Null, Value::Bool)
}

/// Statuses of campaigns that have not started sending (no `sent_at`).
const NOT_SENT: [&str; 2] = ["scheduled", "draft"];

/// One campaign-list item (`data[]`), read at the declared paths: exit 6 without its id.
pub(super) fn campaign(item: &Json, request: &str) -> Result<Campaign, ProviderError> {
    let mut r = Declared::new(Operation::CampaignsList, "data[].", item, request);
    let id = r.text("id");
    let name = r.text("name");
    let campaign_type = r.count("type").map(type_name);
    let status = r.text("status").map(|s| s.to_lowercase());
    let created_at = seconds(&mut r, "created_at");
    let sent = r.count("sent");
    let account = r.text("account");
    let account_name = r.text("account_name");
    let started = seconds(&mut r, "active_from");
    let ends = seconds(&mut r, "active_until");
    let never_ends = flag(&mut r, "never_ends");
    let extra = vec![
        count(sent),
        text(account.as_deref()),
        text(account_name.as_deref()),
        started.map_or(Value::Null, Value::Time),
        match never_ends {
            Some(true) => Value::Null,
            _ => ends.map_or(Value::Null, Value::Time),
        },
        cell(never_ends),
        cell(flag(&mut r, "is_active")),
        cell(flag(&mut r, "is_test")),
        cell(flag(&mut r, "is_pinned")),
        text(r.text("sub_product").as_deref()),
        text(r.text("status_text").as_deref()),
        loose(r.value("approval_status")),
        loose(r.value("failed_reason")),
        text(r.text("personalization_status").as_deref()),
        text(r.text("query_hash").as_deref()),
        nested(r.value("variations")),
    ];
    r.finish(Rule {
        key: &["id"],
        counts: &[],
    })?;
    let sent_at = match status.as_deref() {
        Some(s) if NOT_SENT.contains(&s) => None,
        _ => started,
    };
    Ok(Campaign {
        id,
        name: name.unwrap_or_default(),
        campaign_type,
        status,
        created_at,
        sent_at,
        total_contacts: None,
        extra,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_insider_type_round_trips_through_its_id() {
        for (id, t) in TYPES {
            assert_eq!(type_id(t).map(u64::from), Some(id));
            assert_eq!(type_name(id), t.as_str());
        }
        assert_eq!(type_id(CampaignType::OneTime), None);
        assert_eq!(type_name(9), "9");
    }

    #[test]
    fn list_values_match_list_fields() {
        let c = campaign(&serde_json::json!({"id": 1}), "POST /campaign-list").unwrap();
        assert_eq!(c.extra.len(), list_fields().len());
    }

    #[test]
    fn a_campaign_without_its_id_is_unreadable() {
        let e = campaign(
            &serde_json::json!({"campName": "x", "sent": 3}),
            "POST /campaign-list",
        )
        .unwrap_err();
        assert_eq!(e.exit_code(), 6);
        assert!(e.message.contains("it lacks data[].id"), "{e:?}");
        assert!(e.message.contains("campName, sent"), "{e:?}");
    }
}
