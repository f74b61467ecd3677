//! Insider's answers converted, once, into the unified records, and the vendor-only fields that
//! follow the common ones (product.md, "Records": Insider's `open` is `read`, `click` is
//! `engaged`, `targeted` is `total`, `drop` + `undelivered` are `errors`; rates are derived from
//! those counts, since Insider returns none).

use chrono::{DateTime, Utc};
use serde_json::Value as Json;

use crate::output::{FieldDef, FieldKind, Value};
use crate::provider::model::count;
use crate::provider::{Campaign, CampaignSummary, CampaignType};

use super::wire::{WireCampaign, WireCounts, snake_keys};

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

/// A fraction of 1 with four decimals (0.3478), or null when the denominator is 0 or missing.
fn rate(part: Option<u64>, whole: Option<u64>) -> Option<f64> {
    match (part, whole) {
        (Some(p), Some(w)) if w > 0 => Some((p as f64 / w as f64 * 1e4).round() / 1e4),
        _ => None,
    }
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

    fn value(self, c: &WireCounts) -> Value {
        match self {
            Extra::Status => text(c.status.as_deref()),
            Extra::Account => text(c.phone_number.as_deref()),
            Extra::Drop => count(c.drop),
            Extra::Undelivered => count(c.undelivered),
            Extra::DeliveryPending => count(c.delivery_pending),
            Extra::Conversion => count(c.conversion),
            Extra::Revenue => match &c.revenue {
                None => Value::Null,
                Some(n) => n
                    .as_i64()
                    .map(Value::Int)
                    .or_else(|| n.as_f64().map(Value::Float))
                    .unwrap_or(Value::Null),
            },
            Extra::Unsubscribe => count(c.unsubscribe),
            Extra::Verified => count(c.verified),
            Extra::Unverified => count(c.unverified),
            Extra::DropDetails => nested(c.drop_details.as_ref()),
            Extra::UndeliveredDetails => nested(c.undelivered_details.as_ref()),
            Extra::UnverifiedDetails => nested(c.unverified_details.as_ref()),
            Extra::Responses => nested(c.responses.as_ref()),
            Extra::ResponseSummary => nested(c.response_summary.as_ref()),
        }
    }
}

/// The field definitions of `extras`, in order.
pub(super) fn defs(extras: &[Extra]) -> Vec<FieldDef> {
    extras.iter().map(|e| e.def()).collect()
}

/// A summary-shaped row from Insider's counts; `id` is the campaign asked for, when known.
pub(super) fn summary(c: &WireCounts, id: Option<String>, extras: &[Extra]) -> CampaignSummary {
    let errors = match (c.drop, c.undelivered) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
    };
    CampaignSummary {
        id: id.or_else(|| c.campaign_id.clone()),
        name: c.camp_name.clone(),
        campaign_type: c.campaign_type_id.map(type_name),
        total: c.targeted,
        sent: c.sent,
        delivered: c.delivered,
        read: c.open,
        engaged: c.click,
        errors,
        read_rate: rate(c.open, c.delivered),
        engagement_rate: rate(c.click, c.delivered),
        error_rate: rate(errors, c.targeted),
        extra: extras.iter().map(|e| e.value(c)).collect(),
    }
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

fn time(secs: Option<u64>) -> Option<DateTime<Utc>> {
    secs.and_then(|s| DateTime::from_timestamp(i64::try_from(s).ok()?, 0))
}

fn flag(v: Option<bool>) -> Value {
    v.map_or(Value::Null, Value::Bool)
}

/// A loose value (`failedReason`, `approvalStatus`) as text.
fn loose(v: Option<&Json>) -> Value {
    match v {
        None | Some(Json::Null) => Value::Null,
        Some(Json::String(s)) => Value::Text(s.clone()),
        Some(other) => Value::Text(other.to_string()),
    }
}

/// Statuses of campaigns that have not started sending (no `sent_at`).
const NOT_SENT: [&str; 2] = ["scheduled", "draft"];

impl WireCampaign {
    pub(super) fn into_unified(self) -> Campaign {
        let status = self.status.as_deref().map(str::to_lowercase);
        let started = time(self.active_date_start);
        let sent_at = match status.as_deref() {
            Some(s) if NOT_SENT.contains(&s) => None,
            _ => started,
        };
        let until = match self.never_ends {
            Some(true) => None,
            _ => time(self.active_date_end),
        };
        let extra = vec![
            count(self.sent),
            text(self.phone_number.as_deref()),
            text(self.phone_number_name.as_deref()),
            started.map_or(Value::Null, Value::Time),
            until.map_or(Value::Null, Value::Time),
            flag(self.never_ends),
            flag(self.is_active),
            flag(self.is_test),
            flag(self.is_pinned),
            text(self.sub_product_alias.as_deref()),
            text(self.status_translation.as_deref()),
            loose(self.approval_status.as_ref()),
            loose(self.failed_reason.as_ref()),
            text(self.personalization_status.as_deref()),
            text(self.query_hash.as_deref()),
            nested(self.variations.as_ref()),
        ];
        Campaign {
            id: Some(self.id),
            name: self.camp_name.unwrap_or_default(),
            campaign_type: self.campaign_type_id.map(type_name),
            status,
            created_at: time(self.create_date),
            sent_at,
            total_contacts: None,
            extra,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_derived_from_counts_with_four_decimals() {
        assert_eq!(rate(Some(400), Some(1150)), Some(0.3478));
        assert_eq!(rate(Some(0), Some(10)), Some(0.0));
        assert_eq!(rate(Some(3), Some(0)), None);
        assert_eq!(rate(None, Some(10)), None);
    }

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
        let c: WireCampaign = serde_json::from_str(r#"{"id": 1}"#).unwrap();
        assert_eq!(c.into_unified().extra.len(), list_fields().len());
    }
}
