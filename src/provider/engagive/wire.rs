//! Engagive's wire types (vendors.md Part 1 "Engagive", Part 2 §5.2–5.3) and their conversion
//! into the unified records. Private to this folder.
//!
//! Every answer is one envelope, `{success, statusCode, message, data, pagination,
//! metaResponse}`, parsed by [`Envelope`] whatever the endpoint. The adapter is tolerant where
//! Part 2 is: `statusCode` and `success` may be missing ("omit success where documented"), an
//! error may carry `error` instead of `message`, and ids or counts may come as strings.

use serde::{Deserialize, Deserializer};
use serde_json::Value as Json;

use crate::provider::model::text;
use crate::provider::templates::{Lookup, Template, TemplateContent};

/// `{success, statusCode, message, data, pagination, metaResponse}`.
#[derive(Debug, Deserialize)]
pub(super) struct Envelope<T> {
    #[serde(default)]
    pub success: Option<bool>,
    #[serde(default, rename = "statusCode", deserialize_with = "opt_u64")]
    pub status_code: Option<u64>,
    #[serde(default)]
    pub message: Option<String>,
    /// Some failures say `error` rather than `message` (Part 2 §5.2).
    #[serde(default)]
    pub error: Option<Json>,
    #[serde(default = "none")]
    pub data: Option<T>,
    #[serde(default)]
    pub pagination: Option<Pagination>,
    #[serde(default, rename = "metaResponse")]
    pub meta_response: Option<Json>,
}

fn none<T>() -> Option<T> {
    None
}

impl<T> Envelope<T> {
    /// The vendor's own words: `message`, else an `error` string.
    pub fn text(&self) -> Option<String> {
        self.message
            .clone()
            .filter(|m| !m.trim().is_empty())
            .or_else(|| match &self.error {
                Some(Json::String(s)) => Some(s.clone()),
                Some(Json::Object(o)) => o.get("message").and_then(Json::as_str).map(String::from),
                _ => None,
            })
    }
}

/// `"pagination":{"page","per_page","total","total_pages"}` (Part 1).
#[derive(Debug, Clone, Copy, Deserialize)]
pub(super) struct Pagination {
    #[serde(default, deserialize_with = "opt_u64")]
    pub page: Option<u64>,
    #[serde(default, deserialize_with = "opt_u64")]
    pub per_page: Option<u64>,
    #[serde(default, deserialize_with = "opt_u64")]
    pub total: Option<u64>,
    #[serde(default, deserialize_with = "opt_u64")]
    pub total_pages: Option<u64>,
}

/// Meta's error object inside `metaResponse` on a 502:
/// `{"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct MetaError {
    pub code: Option<String>,
    pub message: Option<String>,
    pub details: Option<String>,
}

impl MetaError {
    /// Meta's error, if `meta` holds one (tolerating a bare error object without the wrapper).
    pub fn from_meta(meta: &Json) -> Option<MetaError> {
        let e = meta.get("error").unwrap_or(meta);
        let code = match e.get("code") {
            Some(Json::Number(n)) => Some(n.to_string()),
            Some(Json::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        let message = e.get("message").and_then(Json::as_str).map(String::from);
        let details = e
            .pointer("/error_data/details")
            .and_then(Json::as_str)
            .map(String::from);
        (code.is_some() || message.is_some()).then_some(MetaError {
            code,
            message,
            details,
        })
    }
}

/// A template (Part 2 §5.3: `{id, code, name, category_code, option_code,
/// parameter_format_code, status}`).
#[derive(Debug, Deserialize)]
pub(super) struct WireTemplate {
    #[serde(default, deserialize_with = "opt_text")]
    id: Option<String>,
    code: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, alias = "category")]
    category_code: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    option_code: Option<String>,
    #[serde(default)]
    parameter_format_code: Option<String>,
}

/// A template content (`{id, lang_code, text, is_draft}`).
#[derive(Debug, Deserialize)]
pub(super) struct WireContent {
    #[serde(default, deserialize_with = "opt_text")]
    id: Option<String>,
    #[serde(default, alias = "language")]
    lang_code: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    is_draft: Option<bool>,
}

/// A lookup entry (`{code, label[, category_code]}`).
#[derive(Debug, Deserialize)]
pub(super) struct WireLookup {
    code: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    category_code: Option<String>,
}

impl super::Keyed for WireTemplate {
    fn key(&self) -> String {
        self.code.clone()
    }
}

impl WireTemplate {
    /// Common fields, then `id, option_code, parameter_format_code` (see `TEMPLATE_EXTRA`).
    pub fn into_unified(self) -> Template {
        Template {
            code: self.code,
            name: self.name,
            category: self.category_code,
            // Engagive keeps languages per content (see the mapping).
            language: None,
            status: self.status,
            extra: vec![
                text(self.id),
                text(self.option_code),
                text(self.parameter_format_code),
            ],
        }
    }
}

/// The content id, else its language.
impl super::Keyed for WireContent {
    fn key(&self) -> String {
        self.id
            .clone()
            .or_else(|| self.lang_code.clone())
            .unwrap_or_default()
    }
}

impl WireContent {
    /// Common fields, then `id`.
    pub fn into_unified(self) -> TemplateContent {
        TemplateContent {
            language: self.lang_code,
            text: self.text,
            is_draft: self.is_draft,
            extra: vec![text(self.id)],
        }
    }
}

impl super::Keyed for WireLookup {
    fn key(&self) -> String {
        self.code.clone()
    }
}

impl WireLookup {
    /// `code, label`.
    pub fn into_unified(self) -> Lookup {
        Lookup {
            code: self.code,
            label: self.label,
            extra: Vec::new(),
        }
    }

    /// `code, label, category` (a category option).
    pub fn into_option(self) -> Lookup {
        Lookup {
            code: self.code,
            label: self.label,
            extra: vec![text(self.category_code)],
        }
    }
}

/// An id that may be a number or a string, kept as text.
fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Json::deserialize(d)? {
        Json::Null => Ok(None),
        Json::String(s) => Ok(Some(s)),
        Json::Number(n) => Ok(Some(n.to_string())),
        other => Err(serde::de::Error::custom(format!(
            "expected a string or a number, found {other}"
        ))),
    }
}

/// A count that may be a number or a string of digits.
fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match Json::deserialize(d)? {
        Json::Null => Ok(None),
        Json::Number(n) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("expected a count, found {n}"))),
        Json::String(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("expected a count, found '{s}'"))),
        other => Err(serde::de::Error::custom(format!(
            "expected a count, found {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Value;
    use serde_json::json;

    #[test]
    fn the_envelope_tolerates_missing_fields_and_string_counts() {
        let e: Envelope<Vec<WireLookup>> = serde_json::from_value(json!({
            "success": true, "data": [{"code": "en"}],
            "pagination": {"page": "2", "per_page": 20, "total": "21", "total_pages": 2}
        }))
        .unwrap();
        assert_eq!(e.status_code, None);
        let p = e.pagination.unwrap();
        assert_eq!((p.page, p.total), (Some(2), Some(21)));
        let e: Envelope<Json> =
            serde_json::from_value(json!({"success": false, "error": "Bad token"})).unwrap();
        assert_eq!(e.text().as_deref(), Some("Bad token"));
        assert!(e.data.is_none());
    }

    #[test]
    fn meta_errors_are_read_with_or_without_the_wrapper() {
        let wrapped = json!({"error": {"message": "(#131026) Message undeliverable", "type": "OAuthException",
            "code": 131026, "error_data": {"details": "Message Undeliverable."}}});
        assert_eq!(
            MetaError::from_meta(&wrapped),
            Some(MetaError {
                code: Some("131026".into()),
                message: Some("(#131026) Message undeliverable".into()),
                details: Some("Message Undeliverable.".into()),
            })
        );
        let bare = json!({"code": "132000", "message": "mismatch"});
        assert_eq!(
            MetaError::from_meta(&bare).unwrap().code.as_deref(),
            Some("132000")
        );
        assert_eq!(MetaError::from_meta(&json!({})), None);
    }

    #[test]
    fn templates_keep_numeric_ids_as_text_and_read_category_aliases() {
        let t: WireTemplate = serde_json::from_value(json!({
            "id": 101, "code": "order_shipped", "category": "UTILITY", "status": "approved"
        }))
        .unwrap();
        let t = t.into_unified();
        assert_eq!(t.category.as_deref(), Some("UTILITY"));
        assert_eq!(t.extra[0], Value::Text("101".into()));
    }
}
