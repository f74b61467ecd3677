//! Engagive requests: `Authorization: Bearer <token>` on every call (one refresh of a `command`
//! token after a 401, which Engagive answers before doing anything), the envelope parsed once for
//! every endpoint, and Engagive's errors — Meta's `metaResponse` on a 502 included — turned into
//! [`ProviderError`]s with the right kind and hint (vendors.md Part 2 §5.2).

use crate::api_error::failing_hint;
use std::sync::Arc;

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use serde::de::DeserializeOwned;

use crate::config::Profile;
use crate::http::{ApiRequest, ApiResponse, HttpClient, HttpOptions, Safety, secret_header};
use crate::provider::{ErrorKind, ProviderError, Vendor};
use crate::secret::Credential;

use super::VENDOR;
use super::wire::{Envelope, MetaError};

/// Engagive's HTTP client with the profile's credentials.
#[derive(Debug)]
pub(super) struct EngagiveClient {
    pub(super) http: HttpClient,
    token: Arc<Credential>,
}

impl EngagiveClient {
    pub(super) fn new(
        profile: &Profile,
        options: &HttpOptions,
    ) -> Result<EngagiveClient, ProviderError> {
        let token = profile.secret("token").ok_or_else(|| {
            ProviderError::new(
                ErrorKind::InvalidRequest,
                VENDOR,
                format!("profile '{}' has no token", profile.name),
            )
            .with_hint("an engagive profile needs account_id and token (the API access token from Profile → API access token)")
        })?;
        let base = profile
            .base_url
            .clone()
            .unwrap_or_else(|| Vendor::Engagive.default_base_url().to_string());
        let http = HttpClient::new(VENDOR, &base, options)?;
        Ok(EngagiveClient { http, token })
    }

    /// The full URL of a request (what `--dry-run` prints).
    pub(super) fn url(&self, req: &ApiRequest) -> String {
        self.http.url(req).to_string()
    }

    /// Sends a request with the token and returns its envelope, or Engagive's error. A 401 with
    /// a `command` token re-runs the command once and tries again: Engagive refuses a request
    /// with a bad token before acting on it, so even a write is safe to send again then.
    pub(super) async fn call<T: DeserializeOwned>(
        &self,
        req: ApiRequest,
    ) -> Result<(Envelope<T>, ApiResponse), ProviderError> {
        let write = req.safety == Safety::Write;
        let mut resp = self.send(&req).await?;
        if resp.status.as_u16() == 401
            && self
                .token
                .refresh()
                .map_err(|e| ProviderError::from_secret(VENDOR, e))?
        {
            resp = self.send(&req).await?;
        }
        let envelope = check::<T>(&resp, req.safety).map_err(|e| {
            if write && resp.is_success() {
                // A 2xx means Engagive took it: the message was most likely sent.
                e.with_hint("Engagive accepted the request (HTTP 2xx) but its answer could not be read, so the message was most likely sent: check the chat before sending it again")
            } else {
                e
            }
        })?;
        Ok((envelope, resp))
    }

    /// One send of `req` with credentials. A write that got no answer may still have reached
    /// Engagive, which the hint says instead of "try again".
    async fn send(&self, req: &ApiRequest) -> Result<ApiResponse, ProviderError> {
        let sent = self.http.send(&self.authorized(req.clone())?).await;
        sent.map_err(|e| {
            if req.safety == Safety::Write {
                e.with_hint("if the request reached Engagive the message may have been sent (writes are never retried): check the chat before sending it again")
            } else {
                e
            }
        })
    }

    /// The request with its credential headers (sensitive, so never logged nor shown).
    fn authorized(&self, req: ApiRequest) -> Result<ApiRequest, ProviderError> {
        use secrecy::ExposeSecret;
        let token = self
            .token
            .get()
            .map_err(|e| ProviderError::from_secret(VENDOR, e))?;
        Ok(req
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(
                AUTHORIZATION,
                secret_header(
                    VENDOR,
                    "token",
                    &format!("Bearer {}", token.expose_secret()),
                )?,
            ))
    }
}

/// The envelope of a successful answer; anything else — a non-2xx status, or a 2xx whose body
/// says `success: false` — becomes Engagive's error.
fn check<T: DeserializeOwned>(
    resp: &ApiResponse,
    safety: Safety,
) -> Result<Envelope<T>, ProviderError> {
    if resp.is_success() {
        let envelope: Envelope<T> = resp.json(VENDOR)?;
        if envelope.success != Some(false) {
            return Ok(envelope);
        }
        let status = envelope
            .status_code
            .and_then(|s| u16::try_from(s).ok())
            .filter(|s| *s >= 400)
            .unwrap_or(400);
        let meta = envelope
            .meta_response
            .as_ref()
            .and_then(MetaError::from_meta);
        return Err(error(resp, status, envelope.text(), meta, safety));
    }
    let status = resp.status.as_u16();
    let body: Option<Envelope<serde_json::Value>> = serde_json::from_slice(&resp.body).ok();
    let text = body.as_ref().and_then(Envelope::text);
    let meta = body
        .as_ref()
        .and_then(|b| b.meta_response.as_ref())
        .and_then(MetaError::from_meta);
    Err(error(resp, status, text, meta, safety))
}

/// Engagive's error; `status` is what decides its kind: the HTTP status, or the envelope's
/// `statusCode` when a 2xx answer says `success: false` (the message still names the HTTP one).
fn error(
    resp: &ApiResponse,
    status: u16,
    text: Option<String>,
    meta: Option<MetaError>,
    safety: Safety,
) -> ProviderError {
    let write = safety == Safety::Write;
    let (kind, hint): (ErrorKind, String) = match status {
        400 | 422 => (
            ErrorKind::InvalidRequest,
            "Engagive refused the request as invalid; check the values (phone numbers are digits with the country code, template codes as 'wa-analytics templates list' shows them)".into(),
        ),
        401 => (
            ErrorKind::Unauthenticated,
            "the API access token is missing, invalid or expired: generate a new one in the Engagive portal (Profile → API access token) and update the profile's token".into(),
        ),
        403 => (
            ErrorKind::Forbidden,
            "the token may not do this on this account: check the profile's account_id (the HTTP API tab of the WhatsApp account) and the token user's role permissions".into(),
        ),
        404 => (
            ErrorKind::NotFound,
            "check the code with 'wa-analytics templates list' (codes are exact, case and accents included) or 'wa-analytics templates categories'".into(),
        ),
        429 => (
            ErrorKind::RateLimited,
            if write {
                "Engagive is rate-limiting this account; the message was not sent: wait and send it again".into()
            } else {
                "Engagive is rate-limiting this account; wait and run again, or raise --retries".into()
            },
        ),
        502 if meta.is_some() => (
            ErrorKind::Unavailable,
            "WhatsApp (Meta) refused it, so nothing was delivered; look the code up in Meta's WhatsApp Cloud API error codes, fix the cause, then send again".into(),
        ),
        500..=599 if write => (
            ErrorKind::Unavailable,
            "Engagive failed; the message may or may not have been sent, and wa-analytics does not send writes twice: check the chat before sending again".into(),
        ),
        500..=599 => (
            ErrorKind::Unavailable,
            failing_hint(VENDOR),
        ),
        _ => (
            ErrorKind::BadResponse,
            "run with -vv to see the exchange".into(),
        ),
    };
    let mut message = text.unwrap_or_else(|| {
        if resp.body.is_empty() {
            "no error details in the response".to_string()
        } else {
            "the error body was not in Engagive's format".to_string()
        }
    });
    let mut err = ProviderError::new(kind, VENDOR, String::new())
        .with_request(resp.request_line.clone())
        .with_status(resp.status.as_u16())
        .with_hint(hint);
    if let Some(meta) = meta {
        // One paragraph: Engagive's words, then Meta's message and details.
        if let Some(m) = meta.message.filter(|m| !m.is_empty()) {
            message = format!("{message}; Meta says: {m}");
        }
        if let Some(d) = meta.details.filter(|d| !d.is_empty()) {
            message = format!("{message} ({d})");
        }
        if let Some(code) = meta.code {
            err = err.with_vendor_code(format!("Meta error {code}"));
        }
    }
    err.message = message;
    err
}
