//! Engage requests: both auth headers on every call, one refresh of a `command` JWT after a 401,
//! and Engage's error bodies turned into [`ProviderError`]s with the right kind and hint.

use crate::api_error::failing_hint;
use std::sync::Arc;

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderName, HeaderValue};

use crate::config::Profile;
use crate::http::{ApiRequest, ApiResponse, HttpClient, HttpOptions, secret_header};
use crate::provider::{ErrorKind, ProviderError};
use crate::secret::Credential;

use super::VENDOR;
use super::wire::ErrorBody;

/// The `X-Token` header: the bot's fixed token.
const X_TOKEN: HeaderName = HeaderName::from_static("x-token");

/// Engage's HTTP client with the profile's credentials.
#[derive(Debug)]
pub(super) struct EngageClient {
    pub(super) http: HttpClient,
    bot_token: Arc<Credential>,
    token: Arc<Credential>,
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
        Ok(EngageClient {
            http,
            bot_token,
            token,
        })
    }

    /// Sends a GET with both credentials and returns the successful response, or Engage's error
    /// as a [`ProviderError`]. A 401 with a `command` credential re-runs the command once and
    /// tries again (a short-lived JWT renewed by the user's own script).
    pub(super) async fn get(&self, req: ApiRequest) -> Result<ApiResponse, ProviderError> {
        let resp = self.http.send(&self.authorized(req.clone())?).await?;
        if resp.status.as_u16() == 401 && self.refresh_credentials()? {
            let again = self.http.send(&self.authorized(req)?).await?;
            return check(again);
        }
        check(resp)
    }

    fn authorized(&self, req: ApiRequest) -> Result<ApiRequest, ProviderError> {
        let bot = self
            .bot_token
            .get()
            .map_err(|e| ProviderError::from_secret(VENDOR, e))?;
        let jwt = self
            .token
            .get()
            .map_err(|e| ProviderError::from_secret(VENDOR, e))?;
        use secrecy::ExposeSecret;
        Ok(req
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(
                X_TOKEN,
                secret_header(VENDOR, "bot_token", bot.expose_secret())?,
            )
            .header(
                AUTHORIZATION,
                secret_header(VENDOR, "token", &format!("Bearer {}", jwt.expose_secret()))?,
            ))
    }

    fn refresh_credentials(&self) -> Result<bool, ProviderError> {
        let token = self
            .token
            .refresh()
            .map_err(|e| ProviderError::from_secret(VENDOR, e))?;
        let bot = self
            .bot_token
            .refresh()
            .map_err(|e| ProviderError::from_secret(VENDOR, e))?;
        Ok(token || bot)
    }
}

/// Passes a 2xx response through; turns anything else into Engage's error.
fn check(resp: ApiResponse) -> Result<ApiResponse, ProviderError> {
    if resp.is_success() {
        return Ok(resp);
    }
    let status = resp.status.as_u16();
    let body: Option<ErrorBody> = serde_json::from_slice(&resp.body).ok();
    let (code, message) = match body {
        Some(b) => (b.error.code, b.error.message),
        None => (None, None),
    };
    let failing = failing_hint(VENDOR);
    let (kind, hint) = match status {
        400 => (
            ErrorKind::InvalidRequest,
            "check the dates and options (details ranges are split at 90 days; pages are at most 10,000 rows)",
        ),
        401 => (
            ErrorKind::Unauthenticated,
            "the JWT (token) is missing, invalid or expired: renew it, or set token = { command = \"…\" } so wa-analytics can fetch a fresh one",
        ),
        403 => (
            ErrorKind::Forbidden,
            "this JWT may not read the bot named by bot_token (X-Token); check both in the profile",
        ),
        404 => (
            ErrorKind::NotFound,
            "check the campaign name with 'wa-analytics campaigns list' (names must match exactly, accents and case included)",
        ),
        429 => (
            ErrorKind::RateLimited,
            "Engage is rate-limiting this account; wait and run again, or raise --retries",
        ),
        500..=599 => (ErrorKind::Unavailable, failing.as_str()),
        _ => (ErrorKind::BadResponse, "run with -vv to see the exchange"),
    };
    let message = message.unwrap_or_else(|| match status {
        429 => "rate limited".to_string(),
        _ if resp.body.is_empty() => "no error details in the response".to_string(),
        _ => "the error body was not in Engage's format".to_string(),
    });
    let mut err = ProviderError::new(kind, VENDOR, message)
        .with_request(resp.request_line.clone())
        .with_status(status)
        .with_hint(hint);
    if let Some(code) = code {
        err = err.with_vendor_code(code);
    }
    if status == 429
        && let Some(wait) =
            crate::http::retry::retry_after(&resp.headers, std::time::SystemTime::now())
    {
        err = err.with_hint(format!(
            "Engage asks to wait {} s; run again later, or raise --retries",
            wait.as_secs()
        ));
    }
    Err(err)
}
