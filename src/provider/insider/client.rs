//! Insider requests (vendors.md Part 2 §3): every read is a POST with a JSON body, marked
//! [`Safety::Read`] so it is retried like a GET. Three ways to authenticate: OAuth 2.0 client
//! credentials (a token minted at `/auth/token`, cached for its lifetime and minted again when it
//! expires or is refused), a ready OAuth `token`, or a v1 `api_key` (`x-ins-auth-key`, on the v1
//! host). Insider's error bodies become [`ProviderError`]s with the right kind and hint.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use tokio::sync::Mutex;

use crate::config::Profile;
use crate::http::{ApiRequest, ApiResponse, HttpClient, HttpOptions, secret_header};
use crate::provider::{ErrorKind, ProviderError};
use crate::secret::Credential;

use super::VENDOR;
use super::errors::{check, mint_error};
use super::wire::{TokenRequest, TokenResponse};

/// The OAuth 2.0 host (`/auth/token`, `/api/wa/v2/statistics/…`).
pub(super) const OAUTH_HOST: &str = "https://gw.api.insidethekube.com";
/// The v1 API-key host (`/v1/statistics/…`).
pub(super) const API_KEY_HOST: &str = "https://whatsapp.useinsider.com";
const OAUTH_PREFIX: &str = "/api/wa/v2/statistics";
const API_KEY_PREFIX: &str = "/v1/statistics";
const TOKEN_PATH: &str = "/auth/token";
/// "scopes … Must include `wa-stats-api`" (Part 2 §3.2).
const SCOPE: &str = "wa-stats-api";
/// The v1 key header; the docs spell it `X-INS-AUTH-KEY` (headers are case-insensitive).
const X_INS_AUTH_KEY: HeaderName = HeaderName::from_static("x-ins-auth-key");
/// A minted token is renewed this long before Insider says it expires, so no request leaves
/// with a token that dies on the way.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);
/// The lifetime of the documented sample, when an answer does not say.
const DEFAULT_TTL: u64 = 3600;
/// "You can send 100 requests per second with the same API Key" (Part 2 §3.5): statistics
/// requests leave at least this far apart (the summaries of every campaign are one request per
/// campaign id, and a fast answer must not let `--concurrency` exceed the rate).
const SPACING: Duration = Duration::from_millis(10);

/// When each statistics request may leave: no sooner than [`SPACING`] after the one before.
#[derive(Debug, Default)]
struct Pace {
    next: std::sync::Mutex<Option<Instant>>,
}

impl Pace {
    /// Reserves the first free slot at or after `now` and returns it.
    fn reserve(&self, now: Instant) -> Instant {
        let mut next = self
            .next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let at = next.map_or(now, |n| n.max(now));
        *next = Some(at + SPACING);
        at
    }

    /// Waits for this request's slot.
    async fn wait(&self) {
        let at = self.reserve(Instant::now());
        tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await;
    }
}

/// The statistics endpoints (Part 2 §3.3), the same suffix on both hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Endpoint {
    Campaign,
    Overall,
    Transactional,
    Verify,
    CampaignList,
}

impl Endpoint {
    fn suffix(self) -> &'static str {
        match self {
            Endpoint::Campaign => "campaign",
            Endpoint::Overall => "overall",
            Endpoint::Transactional => "transactional",
            Endpoint::Verify => "verify",
            Endpoint::CampaignList => "campaign-list",
        }
    }
}

/// How requests are authenticated.
#[derive(Debug)]
enum Credentials {
    /// Client credentials; the minted token is cached in memory only.
    OAuth {
        client_id: String,
        client_secret: Arc<Credential>,
        minted: Mutex<Option<Minted>>,
    },
    /// A ready bearer token.
    Token(Arc<Credential>),
    /// A v1 API key.
    ApiKey(Arc<Credential>),
}

/// A minted access token and when to stop using it.
#[derive(Debug)]
struct Minted {
    token: SecretString,
    renew_at: Instant,
}

/// Insider's HTTP client with the profile's credentials.
#[derive(Debug)]
pub(super) struct InsiderClient {
    pub(super) http: HttpClient,
    auth: Credentials,
    pace: Pace,
}

/// Which credential a request carried, to decide what a 401 renews.
enum Used {
    Minted(SecretString),
    Profile,
}

impl InsiderClient {
    /// A client for an insider profile: exactly one of `client_id` + `client_secret`, `token`
    /// or `api_key` (Part 1). `base_url` replaces the host of that variant.
    pub(super) fn new(
        profile: &Profile,
        options: &HttpOptions,
    ) -> Result<InsiderClient, ProviderError> {
        let usage = |message: String| {
            ProviderError::new(ErrorKind::InvalidRequest, VENDOR, message).with_hint(
                "an insider profile holds one of: client_id and client_secret (OAuth 2.0, the token is minted for you), token (a ready OAuth 2.0 bearer token), or api_key (the v1 key, sent as x-ins-auth-key)",
            )
        };
        let client_id = profile.plain("client_id").map(str::to_string);
        let client_secret = profile.secret("client_secret");
        let token = profile.secret("token");
        let api_key = profile.secret("api_key");
        let given: Vec<&str> = [
            (client_id.is_some() || client_secret.is_some()).then_some("client_id/client_secret"),
            token.is_some().then_some("token"),
            api_key.is_some().then_some("api_key"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let auth = match (client_id, client_secret, token, api_key) {
            _ if given.len() > 1 => {
                return Err(usage(format!(
                    "profile '{}' holds more than one Insider credential ({}); keep exactly one",
                    profile.name,
                    given.join(", ")
                )));
            }
            (Some(id), Some(secret), None, None) => {
                if id.trim().is_empty() {
                    return Err(usage(format!(
                        "profile '{}' has an empty client_id",
                        profile.name
                    )));
                }
                Credentials::OAuth {
                    client_id: id,
                    client_secret: secret,
                    minted: Mutex::new(None),
                }
            }
            (Some(_), None, ..) => {
                return Err(usage(format!(
                    "profile '{}' has client_id but no client_secret",
                    profile.name
                )));
            }
            (None, Some(_), ..) => {
                return Err(usage(format!(
                    "profile '{}' has client_secret but no client_id",
                    profile.name
                )));
            }
            (None, None, Some(token), None) => Credentials::Token(token),
            (None, None, None, Some(key)) => Credentials::ApiKey(key),
            _ => {
                return Err(usage(format!(
                    "profile '{}' has no Insider credential",
                    profile.name
                )));
            }
        };
        let host = match auth {
            Credentials::ApiKey(_) => API_KEY_HOST,
            _ => OAUTH_HOST,
        };
        let base = profile.base_url.as_deref().unwrap_or(host);
        let http = HttpClient::new(VENDOR, base, options)?;
        Ok(InsiderClient {
            http,
            auth,
            pace: Pace::default(),
        })
    }

    /// Sends a statistics request and returns the successful answer, or Insider's error. A 401
    /// renews the credential once (a fresh mint, or a `command` run again) and tries again.
    pub(super) async fn post(
        &self,
        endpoint: Endpoint,
        body: &impl Serialize,
    ) -> Result<ApiResponse, ProviderError> {
        let prefix = match self.auth {
            Credentials::ApiKey(_) => API_KEY_PREFIX,
            _ => OAUTH_PREFIX,
        };
        let req = json_post(format!("{prefix}/{}", endpoint.suffix()), body)?;
        check(self.send_authorized(req).await?, self.auth_hint())
    }

    /// Sends `req` with the credential, at the pace Insider allows; after a 401 the credential
    /// is renewed once (a fresh mint, or a `command` run again) and `req` sent again. The
    /// answer, whatever its status.
    async fn send_authorized(&self, req: ApiRequest) -> Result<ApiResponse, ProviderError> {
        let (authorized, used) = self.authorize(req.clone(), None).await?;
        self.pace.wait().await;
        let resp = self.http.send(&authorized).await?;
        if resp.status.as_u16() == 401
            && let Some(stale) = self.renewable(used)?
        {
            let (again, _) = self.authorize(req, stale.as_ref()).await?;
            return self.http.send(&again).await;
        }
        Ok(resp)
    }

    /// The request with its credential header, and which credential that was. `stale` is a
    /// minted token that was just refused: a cached token equal to it is minted again.
    async fn authorize(
        &self,
        req: ApiRequest,
        stale: Option<&SecretString>,
    ) -> Result<(ApiRequest, Used), ProviderError> {
        match &self.auth {
            Credentials::OAuth { .. } => {
                let token = self.access_token(stale).await?;
                let header = bearer(&token)?;
                Ok((req.header(AUTHORIZATION, header), Used::Minted(token)))
            }
            Credentials::Token(token) => {
                let token = token
                    .get()
                    .map_err(|e| ProviderError::from_secret(VENDOR, e))?;
                Ok((req.header(AUTHORIZATION, bearer(&token)?), Used::Profile))
            }
            Credentials::ApiKey(key) => {
                let key = key
                    .get()
                    .map_err(|e| ProviderError::from_secret(VENDOR, e))?;
                let header = secret_header(VENDOR, "api_key", key.expose_secret())?;
                Ok((req.header(X_INS_AUTH_KEY, header), Used::Profile))
            }
        }
    }

    /// After a 401: whether the request is worth one more try, and with what. A minted token is
    /// minted again; a profile credential is re-read only when it is a `command`.
    fn renewable(&self, used: Used) -> Result<Option<Option<SecretString>>, ProviderError> {
        match (&self.auth, used) {
            (Credentials::OAuth { .. }, Used::Minted(token)) => Ok(Some(Some(token))),
            (Credentials::Token(c) | Credentials::ApiKey(c), Used::Profile) => Ok(c
                .refresh()
                .map_err(|e| ProviderError::from_secret(VENDOR, e))?
                .then_some(None)),
            _ => Ok(None),
        }
    }

    /// The cached OAuth token, or a new one when there is none, it is about to expire, or it is
    /// `stale`. The lock is held while minting, so concurrent requests mint once.
    async fn access_token(
        &self,
        stale: Option<&SecretString>,
    ) -> Result<SecretString, ProviderError> {
        let Credentials::OAuth {
            client_id,
            client_secret,
            minted,
        } = &self.auth
        else {
            unreachable!("access_token is only called for OAuth profiles");
        };
        let mut cache = minted.lock().await;
        if let Some(m) = cache.as_ref() {
            let refused = stale.is_some_and(|s| s.expose_secret() == m.token.expose_secret());
            if !refused && Instant::now() < m.renew_at {
                return Ok(m.token.clone());
            }
        }
        let secret = client_secret
            .get()
            .map_err(|e| ProviderError::from_secret(VENDOR, e))?;
        let body = TokenRequest {
            client_id,
            client_secret: secret.expose_secret(),
            scopes: [SCOPE],
        };
        let started = Instant::now();
        let resp = self
            .http
            .send(&json_post(TOKEN_PATH.to_string(), &body)?.answer_holds_credentials())
            .await?;
        if !resp.is_success() {
            return Err(mint_error(resp));
        }
        let answer: TokenResponse = resp.json(VENDOR)?;
        if answer.access_token.trim().is_empty() {
            return Err(ProviderError::new(
                ErrorKind::BadResponse,
                VENDOR,
                "the token answer holds an empty access_token",
            )
            .with_request(resp.request_line.clone()));
        }
        crate::secret::register(&answer.access_token);
        // At most a day: a lifetime that does not fit an `Instant` must not overflow it.
        let ttl = Duration::from_secs(answer.expires_in.unwrap_or(DEFAULT_TTL).min(86_400));
        // A token shorter-lived than twice the margin is used for half its life.
        let margin = EXPIRY_MARGIN.min(ttl / 2);
        let token = SecretString::from(answer.access_token);
        *cache = Some(Minted {
            token: token.clone(),
            renew_at: started + (ttl - margin),
        });
        info!(
            "Insider: minted an OAuth 2.0 token valid for {} s",
            ttl.as_secs()
        );
        Ok(token)
    }

    /// What to say after a 401, for this profile's kind of credential.
    fn auth_hint(&self) -> &'static str {
        match self.auth {
            Credentials::OAuth { .. } => {
                "Insider refused a freshly minted token: check that the OAuth 2.0 credential has the WhatsApp Analytics scope and that this machine's IP is trusted"
            }
            Credentials::Token(_) => {
                "the token is invalid or expired: mint a new one, or put client_id and client_secret in the profile so wa-analytics mints its own"
            }
            Credentials::ApiKey(_) => {
                "Insider refused the API key (x-ins-auth-key); check it in InOne Settings, and note that a key stops working for an API once OAuth 2.0 is enabled for it"
            }
        }
    }
}

/// `wa-analytics api`: the request with the profile's credential (a minted OAuth token, a
/// token, or the v1 key), as every Insider request.
#[async_trait::async_trait]
impl crate::provider::raw::RawApi for InsiderClient {
    fn url(&self, req: &ApiRequest) -> String {
        self.http.url(req).to_string()
    }

    fn credential_headers(&self) -> Vec<HeaderName> {
        match self.auth {
            Credentials::ApiKey(_) => vec![X_INS_AUTH_KEY],
            _ => vec![AUTHORIZATION],
        }
    }

    async fn send_raw(&self, req: ApiRequest) -> Result<ApiResponse, ProviderError> {
        self.send_authorized(req).await
    }

    fn answer_error(&self, resp: &ApiResponse) -> Option<ProviderError> {
        check(resp.clone(), self.auth_hint()).err()
    }
}

/// A read-only POST with a JSON body (Insider's statistics are reads: retried like a GET).
fn json_post(path: String, body: &impl Serialize) -> Result<ApiRequest, ProviderError> {
    let bytes = serde_json::to_vec(body).map_err(|e| {
        ProviderError::new(
            ErrorKind::BadResponse,
            VENDOR,
            format!("could not encode the request body ({e})"),
        )
    })?;
    let mut req =
        ApiRequest::read_post(path).body(HeaderValue::from_static("application/json"), bytes);
    req.retry_rule = Some(super::errors::is_request_limit);
    Ok(req.header(ACCEPT, HeaderValue::from_static("application/json")))
}

fn bearer(token: &SecretString) -> Result<HeaderValue, ProviderError> {
    secret_header(
        VENDOR,
        "token",
        &format!("Bearer {}", token.expose_secret()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_requests_leave_at_most_100_a_second() {
        let pace = Pace::default();
        let t0 = Instant::now();
        // Ten requests at once: each gets the slot 10 ms after the one before.
        let slots: Vec<_> = (0..10).map(|_| pace.reserve(t0)).collect();
        for (i, at) in slots.iter().enumerate() {
            assert_eq!(*at - t0, SPACING * i as u32, "request {i}");
        }
        // A request after a quiet spell leaves at once.
        let later = t0 + Duration::from_secs(1);
        assert_eq!(pace.reserve(later), later);
        assert_eq!(pace.reserve(later), later + SPACING);
    }
}
