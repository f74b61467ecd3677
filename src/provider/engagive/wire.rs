//! Engagive's wire types (vendors.md Part 1 "Engagive", Part 2 §5.2–5.3) and their conversion
//! into the unified records. Private to this folder.
//!
//! Every answer is one envelope, `{success, statusCode, message, data, pagination,
//! metaResponse}`, parsed by [`Envelope`] whatever the endpoint. The adapter is tolerant where
//! Part 2 is: `statusCode` and `success` may be missing ("omit success where documented"), an
//! error may carry `error` instead of `message`, and ids or counts may come as strings.

use serde::{Deserialize, Deserializer};
use serde_json::Value as Json;

use super::mapping::LIST;
use crate::provider::Operation::{
    self, TemplateCategories, TemplateCategoryOptions, TemplateLanguages, TemplatesContents,
    TemplatesList,
};
use crate::provider::model::text;
use crate::provider::read::{Reader, Rule, canonical};
use crate::provider::templates::{Lookup, Template, TemplateContent};
use crate::provider::{ProviderError, Vendor};

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

/// A template of `templates list` (`prefix` [`LIST`]) or `templates show` (`ONE`), read at
/// the declared paths (`mapping.rs`): the common fields, then `id, option_code,
/// parameter_format_code`. `request` names the request for the error.
pub(super) fn read_template(
    op: Operation,
    prefix: &'static str,
    mut object: Json,
    request: &str,
) -> Result<Template, ProviderError> {
    canonical(&mut object, &[("category", "category_code")]);
    let mut r = Reader::new(Vendor::Engagive, op, prefix, &object).with_request(request);
    let code = r.key_text("code");
    let name = r.text("name");
    let category = r.text("category");
    let status = r.text("status");
    let id = r.text("id");
    let option_code = r.text("option_code");
    let parameter_format_code = r.text("parameter_format_code");
    r.finish(Rule {
        key: &["code"],
        counts: &[],
    })?;
    Ok(Template {
        code: code.unwrap_or_default(),
        name,
        category,
        // Engagive keeps languages per content (the mapping declares it absent).
        language: None,
        status,
        extra: vec![text(id), text(option_code), text(parameter_format_code)],
    })
}

/// A template of `templates list`.
pub(super) fn list_template(object: Json, request: &str) -> Result<Template, ProviderError> {
    read_template(TemplatesList, LIST, object, request)
}

/// A content of `templates contents`: the common fields, then `id`.
pub(super) fn read_content(
    mut object: Json,
    request: &str,
) -> Result<TemplateContent, ProviderError> {
    canonical(&mut object, &[("language", "lang_code")]);
    let op = TemplatesContents;
    let mut r = Reader::new(Vendor::Engagive, op, LIST, &object).with_request(request);
    let language = r.key_text("language");
    let content = r.text("text");
    let is_draft = match r.value("is_draft") {
        None => None,
        Some(Json::Bool(b)) => Some(*b),
        Some(other) => {
            r.malformed("is_draft", format!("is {other}, not true or false"));
            None
        }
    };
    let id = r.text("id");
    r.finish(Rule {
        key: &["language"],
        counts: &[],
    })?;
    Ok(TemplateContent {
        language,
        text: content,
        is_draft,
        extra: vec![text(id)],
    })
}

/// An entry of a lookup (`op` one of the three): `code, label`, and a category option's
/// `category`.
fn read_lookup(op: Operation, object: Json, request: &str) -> Result<Lookup, ProviderError> {
    let mut r = Reader::new(Vendor::Engagive, op, LIST, &object).with_request(request);
    let code = r.key_text("code");
    let label = r.text("label");
    let extra = if op == TemplateCategoryOptions {
        vec![text(r.text("category"))]
    } else {
        Vec::new()
    };
    r.finish(Rule {
        key: &["code"],
        counts: &[],
    })?;
    Ok(Lookup {
        code: code.unwrap_or_default(),
        label,
        extra,
    })
}

/// A category of `templates categories`.
pub(super) fn category(object: Json, request: &str) -> Result<Lookup, ProviderError> {
    read_lookup(TemplateCategories, object, request)
}

/// An option of `templates category-options`.
pub(super) fn category_option(object: Json, request: &str) -> Result<Lookup, ProviderError> {
    read_lookup(TemplateCategoryOptions, object, request)
}

/// A language of `templates languages`.
pub(super) fn language(object: Json, request: &str) -> Result<Lookup, ProviderError> {
    read_lookup(TemplateLanguages, object, request)
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
        let e: Envelope<Vec<Json>> = serde_json::from_value(json!({
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
        let t = list_template(
            json!({"id": 101, "code": "order_shipped", "category": "UTILITY", "status": "approved",
                   "name": "n", "option_code": null, "parameter_format_code": "POSITIONAL"}),
            "GET /templates",
        )
        .unwrap();
        assert_eq!(t.category.as_deref(), Some("UTILITY"));
        assert_eq!(t.extra[0], Value::Text("101".into()));
        assert_eq!(t.extra[1], Value::Null);
    }

    #[test]
    fn a_template_without_its_code_is_unreadable_naming_the_path_and_what_it_holds() {
        let e = list_template(json!({"id": 1, "name": "x"}), "GET /templates").unwrap_err();
        assert_eq!(e.kind, crate::provider::ErrorKind::BadResponse);
        assert_eq!(
            e.message,
            "cannot read Engagive's answer to 'templates list': it lacks data[].code (the answer holds: id, name)"
        );
        let e = read_template(
            crate::provider::Operation::TemplatesShow,
            super::super::mapping::ONE,
            json!({"code": "", "name": "x"}),
            "GET /templates/x",
        )
        .unwrap_err();
        assert!(e.message.contains("data.code: is empty"), "{}", e.message);
    }

    #[test]
    fn contents_and_lookups_need_their_codes_and_read_the_language_alias() {
        let c = read_content(
            json!({"id": 5, "language": "en", "text": "Hi", "is_draft": false}),
            "GET /c",
        )
        .unwrap();
        assert_eq!(c.language.as_deref(), Some("en"));
        assert_eq!(c.is_draft, Some(false));
        let e =
            read_content(json!({"id": 5, "text": "Hi", "is_draft": false}), "GET /c").unwrap_err();
        assert!(
            e.message.contains("it lacks data[].lang_code"),
            "{}",
            e.message
        );
        let e = read_content(json!({"lang_code": "en", "is_draft": "yes"}), "GET /c").unwrap_err();
        assert!(
            e.message
                .contains("data[].is_draft: is \"yes\", not true or false"),
            "{}",
            e.message
        );
        let e = category_option(json!({"label": "Standard"}), "GET /o").unwrap_err();
        assert!(
            e.message
                .contains("'templates category-options': it lacks data[].code"),
            "{}",
            e.message
        );
        let o = category_option(
            json!({"code": "STANDARD", "label": "S", "category_code": "MARKETING"}),
            "GET /o",
        )
        .unwrap();
        assert_eq!(o.extra, vec![Value::Text("MARKETING".into())]);
    }
}
