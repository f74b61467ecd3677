//! Insider's wire types (vendors.md Part 2 §3, with Part 1's `page`/`meta` for campaign-list):
//! the JSON request bodies, and tolerant readers of the answers. Private to this folder.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// `POST /auth/token` (Part 2 §3.2): a JSON body, not a form; the scope must be `wa-stats-api`.
#[derive(Serialize)]
pub(super) struct TokenRequest<'a> {
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub scopes: [&'static str; 1],
}

/// `{"access_token","token_type","expires_in"}`.
#[derive(Deserialize)]
pub(super) struct TokenResponse {
    pub access_token: String,
    #[serde(default, deserialize_with = "opt_count")]
    pub expires_in: Option<u64>,
}

/// `POST …/campaign` (Part 2 §3.3.1): without times, the campaign's whole lifetime.
#[derive(Debug, Serialize)]
pub(super) struct CampaignRequest {
    pub campaign_id: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<i64>,
}

/// A tag filter: Insider takes integer ids and names, mixed (Part 2 §3.3.2).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub(super) enum Tag {
    Id(u64),
    Name(String),
}

impl Tag {
    /// A number is an id, anything else a name.
    pub fn parse(s: &str) -> Tag {
        s.trim()
            .parse::<u64>()
            .map_or_else(|_| Tag::Name(s.trim().to_string()), Tag::Id)
    }
}

/// `campaign_filter` of `overall`; omitted keys mean "all".
#[derive(Debug, Default, Serialize)]
pub(super) struct CampaignFilter {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub campaign_type_ids: Vec<u8>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

impl CampaignFilter {
    pub fn is_empty(&self) -> bool {
        self.campaign_type_ids.is_empty()
            && self.statuses.is_empty()
            && self.accounts.is_empty()
            && self.tags.is_empty()
    }
}

/// `POST …/overall` (Part 2 §3.3.2).
#[derive(Debug, Serialize)]
pub(super) struct OverallRequest<'a> {
    pub start_time: i64,
    pub end_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign_filter: Option<&'a CampaignFilter>,
}

/// `POST …/transactional` and `…/verify` (Part 2 §3.3.3–3.3.4).
#[derive(Debug, Serialize)]
pub(super) struct ProductRequest<'a> {
    pub start_time: i64,
    pub end_time: i64,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub accounts: &'a [String],
}

/// `POST …/campaign-list` (Part 2 §3.3.5; `page` from Part 1).
#[derive(Debug, Clone, Serialize)]
pub(super) struct ListRequest {
    pub page: u64,
    pub per_page: u64,
    pub sort: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
}

/// `{"data":[…],"meta":{…}}` of campaign-list.
#[derive(Deserialize)]
pub(super) struct ListPage {
    /// The items, read one by one at the declared paths (`super::records::campaign`).
    pub data: Vec<Value>,
    #[serde(default)]
    pub meta: Option<ListMeta>,
}

/// Part 1: `{"current_page","last_page","per_page","total"}`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub(super) struct ListMeta {
    #[serde(default, deserialize_with = "opt_count")]
    pub current_page: Option<u64>,
    #[serde(deserialize_with = "count")]
    pub last_page: u64,
    #[serde(default, deserialize_with = "opt_count")]
    pub per_page: Option<u64>,
    #[serde(deserialize_with = "count")]
    pub total: u64,
}

/// The campaign endpoint's object: flat, or (tolerated) wrapped in `data.statistics`, whose
/// sample calls `open` `read` (Part 2 §3.3.1): there it is read as `open`.
pub(super) fn unwrap_statistics(v: Value) -> Value {
    match v {
        Value::Object(mut m) => match m.remove("data") {
            Some(Value::Object(mut data)) => match data.remove("statistics") {
                Some(Value::Object(mut stats)) => {
                    if !stats.contains_key("open")
                        && let Some(read) = stats.remove("read")
                    {
                        stats.insert("open".into(), read);
                    }
                    Value::Object(stats)
                }
                _ => Value::Object(data),
            },
            Some(other) => {
                m.insert("data".into(), other);
                Value::Object(m)
            }
            None => Value::Object(m),
        },
        other => other,
    }
}

/// Keys that identify a row rather than count something: never summed across windows.
const IDENTITY_KEYS: [&str; 4] = ["id", "campaignId", "campaignTypeId", "cardId"];

/// Adds the counts of `more` (a later window) into `into`: numbers are summed, objects merged
/// key by key, anything else (names, statuses) is taken from the later window. Insider's figures
/// are message counts, so counts of disjoint windows add up.
pub(super) fn add_counts(into: &mut Map<String, Value>, more: Map<String, Value>) {
    for (key, value) in more {
        let merged = match (into.remove(&key), value) {
            (Some(Value::Number(a)), Value::Number(b))
                if !IDENTITY_KEYS.contains(&key.as_str()) =>
            {
                add_numbers(&a, &b)
            }
            (Some(Value::Object(mut a)), Value::Object(b)) => {
                add_counts(&mut a, b);
                Value::Object(a)
            }
            (Some(old), Value::Null) => old,
            (_, new) => new,
        };
        into.insert(key, merged);
    }
}

fn add_numbers(a: &serde_json::Number, b: &serde_json::Number) -> Value {
    match (a.as_u64(), b.as_u64()) {
        (Some(x), Some(y)) => Value::from(x.saturating_add(y)),
        _ => serde_json::Number::from_f64(a.as_f64().unwrap_or(0.0) + b.as_f64().unwrap_or(0.0))
            .map_or(Value::Null, Value::Number),
    }
}

/// Insider's camelCase keys in nested data, as the snake_case the output contract uses.
pub(super) fn snake_keys(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (snake_case(&k), snake_keys(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(snake_keys).collect()),
        other => other,
    }
}

/// `dropDetails` → `drop_details`.
pub(super) fn snake_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn count_of(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A count as a number, an integral float or a numeric string.
fn opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => count_of(&v)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("expected a count, found {v}"))),
    }
}

fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    opt_count(d)?.ok_or_else(|| serde::de::Error::custom("expected a count, found null"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn camel_case_keys_become_snake_case_at_every_depth() {
        let v = json!({"dropDetails": {"frequencyCapped": 5}, "responses": [{"cardId": 1, "isNoReplyMessage": false}]});
        assert_eq!(
            snake_keys(v),
            json!({"drop_details": {"frequency_capped": 5}, "responses": [{"card_id": 1, "is_no_reply_message": false}]})
        );
    }

    #[test]
    fn counts_of_windows_add_up_but_identities_do_not() {
        let mut a = json!({"campaignId": 7, "campaignTypeId": 2, "sent": 3, "status": "active",
                           "dropDetails": {"duplicates": 1}, "revenue": 1.5})
        .as_object()
        .cloned()
        .unwrap();
        let b = json!({"campaignId": 7, "campaignTypeId": 2, "sent": 4, "status": "completed",
                       "dropDetails": {"duplicates": 2, "rateLimits": 1}, "revenue": 2})
        .as_object()
        .cloned()
        .unwrap();
        add_counts(&mut a, b);
        assert_eq!(
            Value::Object(a),
            json!({"campaignId": 7, "campaignTypeId": 2, "sent": 7, "status": "completed",
                   "dropDetails": {"duplicates": 3, "rateLimits": 1}, "revenue": 3.5})
        );
    }

    #[test]
    fn the_wrapped_statistics_sample_is_read_like_the_flat_one() {
        let wrapped = json!({"data": {"statistics": {"sent": 42, "delivered": 41, "read": 30}}});
        assert_eq!(
            unwrap_statistics(wrapped),
            json!({"sent": 42, "delivered": 41, "open": 30})
        );
        let flat = json!({"sent": 1, "read": 2});
        assert_eq!(
            unwrap_statistics(flat.clone()),
            flat,
            "only the wrapper's read is open"
        );
    }

    #[test]
    fn tags_are_ids_when_numeric_and_names_otherwise() {
        assert_eq!(Tag::parse("42"), Tag::Id(42));
        assert_eq!(Tag::parse(" promo "), Tag::Name("promo".into()));
        assert_eq!(
            serde_json::to_string(&[Tag::Id(42), Tag::Name("promo".into())]).unwrap(),
            r#"[42,"promo"]"#
        );
    }
}
