//! Engage requests: both auth headers on every call, one refresh of a `command` JWT after a 401,
//! and Engage's error bodies turned into [`ProviderError`]s with the right kind and hint.

use reqwest::header::{AUTHORIZATION, HeaderName};

use crate::config::Profile;
use crate::http::auth::{CredentialHeader, Credentials, Scheme};
use crate::http::status::{self, StatusHints};
use crate::http::{ApiRequest, ApiResponse, HttpClient, HttpOptions};
use crate::provider::{ErrorKind, ProviderError};

use super::VENDOR;
use super::wire::ErrorBody;

/// The `X-Token` header: the bot's fixed token.
const X_TOKEN: HeaderName = HeaderName::from_static("x-token");

/// Engage's HTTP client with the profile's credentials.
#[derive(Debug)]
pub(super) struct EngageClient {
    pub(super) http: HttpClient,
    credentials: Credentials,
}

impl EngageClient {
    pub(super) fn new(
        profile: &Profile,
        options: &HttpOptions,
    ) -> Result<EngageClient, ProviderError> {
        let missing = |key: &str| {
            ProviderError::new(
                ErrorKind::InvalidRequest,
                VENDOR,
                format!("profile '{}' has no {key}", profile.name),
            )
            .with_hint("an engage profile needs bot_token (X-Token) and token (the JWT)")
        };
        let bot_token = profile
            .secret("bot_token")
            .ok_or_else(|| missing("bot_token"))?;
        let token = profile.secret("token").ok_or_else(|| missing("token"))?;
        let base = profile
            .base_url
            .clone()
            .unwrap_or_else(|| crate::vendor::Vendor::Engage.default_base_url().to_string());
        let http = HttpClient::new(VENDOR, &base, options)?;
        let credentials = Credentials::new(
            VENDOR,
            vec![
                CredentialHeader::new(X_TOKEN, "bot_token", Scheme::Raw, bot_token),
                CredentialHeader::new(AUTHORIZATION, "token", Scheme::Bearer, token),
            ],
        );
        Ok(EngageClient { http, credentials })
    }

    /// Sends a GET with both credentials and returns the successful response, or Engage's error
    /// as a [`ProviderError`]. A 401 with a `command` credential re-runs the command once and
    /// tries again (a short-lived JWT renewed by the user's own script).
    pub(super) async fn get(&self, req: ApiRequest) -> Result<ApiResponse, ProviderError> {
        check(self.credentials.send(&self.http, req).await?)
    }
}

/// `wa-analytics api`: the request with both credentials, as every Engage request.
#[async_trait::async_trait]
impl crate::provider::raw::RawApi for EngageClient {
    fn url(&self, req: &ApiRequest) -> String {
        self.http.url(req).to_string()
    }

    fn credential_headers(&self) -> Vec<HeaderName> {
        self.credentials.header_names()
    }

    async fn send_raw(&self, req: ApiRequest) -> Result<ApiResponse, ProviderError> {
        self.credentials.send(&self.http, req).await
    }

    fn answer_error(&self, resp: &ApiResponse) -> Option<ProviderError> {
        check(resp.clone()).err()
    }
}

/// What to do after each status (the kinds are [`status::classify`]'s).
const HINTS: StatusHints = StatusHints {
    invalid: "check the dates and options (details ranges are split at 90 days; pages are at most 10,000 rows)",
    unauthenticated: "the JWT (token) is missing, invalid or expired: renew it, or set token = { command = \"…\" } so wa-analytics can fetch a fresh one",
    forbidden: "this JWT may not read the bot named by bot_token (X-Token); check both in the profile",
    not_found: "check the campaign name with 'wa-analytics campaigns list' (names must match exactly, accents and case included)",
    rate_limited: "Engage is rate-limiting this account; wait and run again, or raise --retries",
};

/// Passes a 2xx response through; turns anything else into Engage's error.
fn check(resp: ApiResponse) -> Result<ApiResponse, ProviderError> {
    if resp.is_success() {
        return Ok(resp);
    }
    let body: Option<ErrorBody> = serde_json::from_slice(&resp.body).ok();
    let (code, message) = match body {
        Some(b) => (b.error.code, b.error.message),
        None => (None, None),
    };
    let (kind, hint) = status::classify(VENDOR, resp.status.as_u16(), &HINTS);
    let mut err = resp.error(VENDOR, kind, message, hint);
    if let Some(code) = code {
        err = err.with_vendor_code(code);
    }
    Err(err)
}
