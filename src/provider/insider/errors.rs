//! Insider's error answers (vendors.md Part 2 §3.4, Part 1 for 401) as [`ProviderError`]s:
//! `{"message","errorCode","errors"}` with 3001 (unparsable), 3002 (validation), 3004 (campaign
//! not found or not yours: exit 7), 3007 (product not active); 422 forwarded validation; 429
//! `{"error":{"code":2021}}`; and 403 "Request Limit Exceeded", which is throttling (retried,
//! then exit 5), not a refusal.

use serde::Deserialize;
use serde_json::Value;

use crate::http::ApiResponse;
use crate::http::status::{self, StatusHints};
use crate::provider::{ErrorKind, ProviderError};

use super::VENDOR;

/// Any of Insider's error bodies.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    /// A string in the documented bodies; tolerated as a number.
    #[serde(default)]
    error_code: Option<Value>,
    /// A string (3001/3002) or an object of field → messages (422).
    #[serde(default)]
    errors: Option<Value>,
    /// The 429 body's `{"message","code":2021}`.
    #[serde(default)]
    error: Option<InnerError>,
}

#[derive(Debug, Default, Deserialize)]
struct InnerError {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    code: Option<Value>,
}

/// Insider's 403 that means throttling (INS-EVANGELIST, vendors.md Part 2 §3.4), retryable
/// (vendors.md Part 1, "Every vendor").
pub(super) fn is_request_limit(resp: &ApiResponse) -> bool {
    resp.status.as_u16() == 403
        && String::from_utf8_lossy(&resp.body)
            .to_ascii_lowercase()
            .contains("request limit exceeded")
}

fn code_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `errors` as one line: a string as is; `{"field":["msg",…]}` as `field: msg; …`.
fn details(errors: &Value) -> Option<String> {
    match errors {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Object(m) if !m.is_empty() => Some(
            m.iter()
                .map(|(field, msgs)| {
                    let text = match msgs {
                        Value::Array(items) => items
                            .iter()
                            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                            .collect::<Vec<_>>()
                            .join(" "),
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    format!("{field}: {text}")
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Value::Array(items) if !items.is_empty() => Some(
            items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        _ => None,
    }
}

/// The vendor's code and one-line message of an error answer.
fn parse(resp: &ApiResponse) -> (Option<String>, String) {
    let body: ErrorBody = serde_json::from_slice(&resp.body).unwrap_or_default();
    let inner = body.error.unwrap_or_default();
    let code = body
        .error_code
        .as_ref()
        .and_then(code_text)
        .or_else(|| inner.code.as_ref().and_then(code_text));
    let message = body.message.or(inner.message);
    let extra = body.errors.as_ref().and_then(details);
    let status = resp.status.as_u16();
    let text = match (message, extra) {
        (Some(m), Some(e)) => format!("{}: {e}", m.trim_end_matches('.')),
        (Some(m), None) => m,
        (None, Some(e)) => e,
        (None, None) if resp.body.is_empty() => "no error details in the response".to_string(),
        (None, None) if status == 429 => "rate limited".to_string(),
        (None, None) => "the error body was not in Insider's format".to_string(),
    };
    (code, text)
}

/// Passes a 2xx answer through; turns anything else into Insider's error. `auth_hint` is what
/// to say after a 401 for this profile's kind of credential.
pub(super) fn check(resp: ApiResponse, auth_hint: &str) -> Result<ApiResponse, ProviderError> {
    if resp.is_success() {
        return Ok(resp);
    }
    let status = resp.status.as_u16();
    let (code, message) = parse(&resp);
    let (kind, hint): (ErrorKind, String) = match (status, code.as_deref()) {
        (400, Some("3004")) => (
            ErrorKind::NotFound,
            "check the id with 'wa-analytics campaigns list': Insider answers 3004 for a campaign that does not exist or belongs to another partner".into(),
        ),
        (400, Some("3001")) => (
            ErrorKind::InvalidRequest,
            "Insider could not parse the request; this is a bug in wa-analytics, please report it with the output of -vv".into(),
        ),
        (400, Some("3002")) => (
            ErrorKind::InvalidRequest,
            "check the campaign id and the dates (Insider takes times from 2001 on, as 10-digit Unix seconds)".into(),
        ),
        (401, _) => (ErrorKind::Unauthenticated, auth_hint.to_string()),
        (403, _) if is_request_limit(&resp) => (
            ErrorKind::RateLimited,
            "Insider is throttling this account (Request Limit Exceeded); wait and run again, or raise --retries".into(),
        ),
        (403, Some("3007")) => (
            ErrorKind::Forbidden,
            "the WhatsApp product is not active for this Insider account; ask Insider to enable it".into(),
        ),
        // A wrong host, not a missing campaign (a missing campaign is 400 with 3004).
        (404, _) => (
            ErrorKind::InvalidRequest,
            "Insider has no such endpoint here: check the profile's base_url (the host only, e.g. https://gw.api.insidethekube.com)".into(),
        ),
        (422, _) => (
            ErrorKind::InvalidRequest,
            "Insider refused a filter value (an unknown tag name, say); check --tag, --account and --status".into(),
        ),
        (300..=399, _) => (
            ErrorKind::BadResponse,
            "Insider redirected the request elsewhere, and wa-analytics sends no credentials or request bodies to another address: set the profile's base_url to the final host".into(),
        ),
        _ => status::classify(VENDOR, status, &HINTS),
    };
    let err = resp.error(VENDOR, kind, Some(message), hint);
    Err(match code {
        Some(code) => err.with_vendor_code(code),
        None => err,
    })
}

/// What to do after each status (the kinds are [`status::classify`]'s); Insider's codes, its
/// 404 and its throttling 403 come first ([`check`]).
const HINTS: StatusHints = StatusHints {
    invalid: "check the options; the transactional and verify reports need those sub-products enabled for the Insider account",
    unauthenticated: "check the profile's credentials",
    forbidden: "these credentials may not read WhatsApp statistics (an OAuth 2.0 credential needs the WhatsApp Analytics scope, and may be limited to trusted IPs)",
    not_found: "check the profile's base_url",
    rate_limited: "Insider is rate-limiting this account (100 requests per second per key, 10 token mints per minute); wait and run again, or raise --retries",
};

/// A refused `/auth/token` request: the client credentials, the scope, or the mint limit.
pub(super) fn mint_error(resp: ApiResponse) -> ProviderError {
    let hint = "check client_id and client_secret (InOne Settings > Integration Settings > OAuth 2.0 Credentials; the credential needs the WhatsApp Analytics scope)";
    match check(resp, hint) {
        Err(mut e) => {
            if e.status == Some(400) {
                // A 400 from the token endpoint is about the credentials, not the user's options.
                e.hint = Some(hint.to_string());
            }
            e.message = format!("the OAuth 2.0 token request failed: {}", e.message);
            e
        }
        Ok(resp) => ProviderError::new(ErrorKind::BadResponse, VENDOR, "the token request failed")
            .with_request(resp.request_line),
    }
}
