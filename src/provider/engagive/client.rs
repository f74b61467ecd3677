//! Engagive requests: `Authorization: Bearer <token>` on every call (one refresh of a `command`
//! token after a 401, which Engagive answers before doing anything), the envelope parsed once for
//! every endpoint, and Engagive's errors — Meta's `metaResponse` on a 502 included — turned into
//! [`ProviderError`]s with the right kind and hint (vendors.md Part 2 §5.2).

use reqwest::header::AUTHORIZATION;
use serde::de::DeserializeOwned;

use crate::config::Profile;
use crate::http::auth::{CredentialHeader, Credentials, Scheme};
use crate::http::status::{self, StatusHints};
use crate::http::{ApiRequest, ApiResponse, HttpClient, HttpOptions, Safety};
use crate::provider::{ErrorKind, ProviderError, Vendor};

use super::VENDOR;
use super::wire::{Envelope, MetaError};

/// Engagive's HTTP client with the profile's credentials.
#[derive(Debug)]
pub(super) struct EngagiveClient {
    pub(super) http: HttpClient,
    credentials: Credentials,
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
        // Engagive refuses a request with a bad token before acting on it, so even a write is
        // safe to send again after the token was renewed.
        let credentials = Credentials::new(
            VENDOR,
            vec![CredentialHeader::new(
                AUTHORIZATION,
                "token",
                Scheme::Bearer,
                token,
            )],
        )
        .renew_writes();
        Ok(EngagiveClient { http, credentials })
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
        let resp = self.send(&req).await?;
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

    /// `req` sent with the token (and once more after a 401 renewed it). A write that got no
    /// answer may still have reached Engagive, which the hint says instead of "try again".
    async fn send(&self, req: &ApiRequest) -> Result<ApiResponse, ProviderError> {
        let sent = self.credentials.send(&self.http, req.clone()).await;
        sent.map_err(|e| {
            if req.safety == Safety::Write {
                e.with_hint("if the request reached Engagive the message may have been sent (writes are never retried): check the chat before sending it again")
            } else {
                e
            }
        })
    }
}

/// `wa-analytics api`: the request with the token, as every Engagive request.
#[async_trait::async_trait]
impl crate::provider::raw::RawApi for EngagiveClient {
    fn url(&self, req: &ApiRequest) -> String {
        EngagiveClient::url(self, req)
    }

    fn credential_headers(&self) -> Vec<reqwest::header::HeaderName> {
        self.credentials.header_names()
    }

    async fn send_raw(&self, req: ApiRequest) -> Result<ApiResponse, ProviderError> {
        self.send(&req).await
    }

    fn answer_error(&self, resp: &ApiResponse) -> Option<ProviderError> {
        let safety = if matches!(resp.request_line.split(' ').next(), Some("GET" | "HEAD")) {
            Safety::Read
        } else {
            Safety::Write
        };
        check::<serde_json::Value>(resp, safety).err()
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
    let (kind, hint) = match status {
        429 if write => (
            ErrorKind::RateLimited,
            "Engagive is rate-limiting this account; the message was not sent: wait and send it again".to_string(),
        ),
        502 if meta.is_some() => (
            ErrorKind::Unavailable,
            "WhatsApp (Meta) refused it, so nothing was delivered; look the code up in Meta's WhatsApp Cloud API error codes, fix the cause, then send again".to_string(),
        ),
        500..=599 if write => (
            ErrorKind::Unavailable,
            "Engagive failed; the message may or may not have been sent, and wa-analytics does not send writes twice: check the chat before sending again".to_string(),
        ),
        _ => status::classify(VENDOR, status, &HINTS),
    };
    let mut err = resp.error(VENDOR, kind, text, hint.clone());
    if write {
        // The rate-limit wait is no news for a write: what matters is that it was not sent.
        err = err.with_hint(hint);
    }
    let mut message = std::mem::take(&mut err.message);
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
    // Meta's words are the vendor's too: the whole quoted a few hundred characters long.
    err.message = crate::api_error::quote(&message, crate::api_error::QUOTE_CHARS);
    err
}

/// What to do after each status (the kinds are [`status::classify`]'s).
const HINTS: StatusHints = StatusHints {
    invalid: "Engagive refused the request as invalid; check the values (phone numbers are digits with the country code, template codes as 'wa-analytics templates list' shows them)",
    unauthenticated: "the API access token is missing, invalid or expired: generate a new one in the Engagive portal (Profile → API access token) and update the profile's token",
    forbidden: "the token may not do this on this account: check the profile's account_id (the HTTP API tab of the WhatsApp account) and the token user's role permissions",
    not_found: "check the code with 'wa-analytics templates list' (codes are exact, case and accents included) or 'wa-analytics templates categories'",
    rate_limited: "Engagive is rate-limiting this account; wait and run again, or raise --retries",
};
