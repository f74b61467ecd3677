//! Engati requests: the raw API key as `Authorization: Basic <key>` (vendors.md Part 2 §2.1: not
//! base64 of user:pass), the customer id and bot key in every path, and Engati's `status.code`
//! turned into a [`ProviderError`] — 1000 is success, anything else is an error even on HTTP 200
//! (vendors.md Part 1 "Engati").

use crate::api_error::failing_hint;

use reqwest::header::{AUTHORIZATION, HeaderName};

use crate::config::Profile;
use crate::http::auth::{CredentialHeader, Credentials, Scheme};
use crate::http::status::{self, StatusHints};
use crate::http::{ApiRequest, ApiResponse, HttpClient, HttpOptions, encode};
use crate::provider::{ErrorKind, ProviderError, Vendor};

use super::VENDOR;
use super::wire::Status;

/// Engati's success code.
const SUCCESS: i64 = 1000;

/// Which API a request calls: it decides what an error code means and what to suggest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Endpoint {
    /// `GET …/users`.
    Users,
    /// `GET …/channel-user/{user}/conversations`.
    Conversations,
    /// `POST …/broadcast` (broadcast wrapper API).
    Broadcast,
    /// `POST /whatsapp-api/…/template`.
    Template,
    /// `POST /whatsapp-api/…/external/broadcast`.
    ExternalBroadcast,
    /// `POST …/flow/{flow_key}` (API Trigger v1/v2).
    Trigger,
    /// Any other path (`wa-analytics api`).
    Api,
}

/// A successful answer: the response and its decoded body (`Null` when it was empty).
#[derive(Debug)]
pub(super) struct Answer {
    pub resp: ApiResponse,
    pub body: serde_json::Value,
}

/// Engati's HTTP client with the profile's credentials and bot.
#[derive(Debug)]
pub(super) struct EngatiClient {
    pub(super) http: HttpClient,
    credentials: Credentials,
    customer_id: String,
    bot_key: String,
}

impl EngatiClient {
    pub(super) fn new(
        profile: &Profile,
        options: &HttpOptions,
    ) -> Result<EngatiClient, ProviderError> {
        let missing = |key: &str| {
            ProviderError::new(
                ErrorKind::InvalidRequest,
                VENDOR,
                format!("profile '{}' has no {key}", profile.name),
            )
            .with_hint("an engati profile needs api_key, customer_id and bot_key (Engati portal: Integration > Engati API)")
        };
        let api_key = profile
            .secret("api_key")
            .ok_or_else(|| missing("api_key"))?;
        let plain = |key: &str| {
            profile
                .plain(key)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .ok_or_else(|| missing(key))
        };
        let customer_id = plain("customer_id")?;
        let bot_key = plain("bot_key")?;
        let base = profile
            .base_url
            .clone()
            .unwrap_or_else(|| Vendor::Engati.default_base_url().to_string());
        let http = HttpClient::new(VENDOR, &base, options)?;
        let credentials = Credentials::new(
            VENDOR,
            vec![CredentialHeader::new(
                AUTHORIZATION,
                "api_key",
                Scheme::Basic,
                api_key,
            )],
        );
        Ok(EngatiClient {
            http,
            credentials,
            customer_id,
            bot_key,
        })
    }

    /// `/bot-api/{version}/customer/{cid}/bot/{bot_key}` (users, conversations, broadcast,
    /// flows; vendors.md Part 2 §2.2–2.7).
    pub(super) fn bot_path(&self, version: &str) -> String {
        format!(
            "/bot-api/{version}/customer/{}/bot/{}",
            encode::segment(&self.customer_id),
            encode::segment(&self.bot_key)
        )
    }

    /// `/whatsapp-api/v1.0/customer/{cid}/bot/{bot_key}` (template message, external broadcast).
    pub(super) fn whatsapp_path(&self) -> String {
        format!(
            "/whatsapp-api/v1.0/customer/{}/bot/{}",
            encode::segment(&self.customer_id),
            encode::segment(&self.bot_key)
        )
    }

    /// The full URL of a request, for `--dry-run`.
    pub(super) fn url(&self, req: &ApiRequest) -> String {
        self.http.url(req).to_string()
    }

    /// Sends a request with the key and returns Engati's successful answer, or its error. A
    /// read answered 401 with a `command` key re-runs the command once and is sent again; a
    /// write is sent once, whatever happens.
    pub(super) async fn send(
        &self,
        req: ApiRequest,
        endpoint: Endpoint,
    ) -> Result<Answer, ProviderError> {
        check(self.credentials.send(&self.http, req).await?, endpoint)
    }

    /// The credential headers [`EngatiClient::send`] adds, for `--dry-run`.
    pub(super) fn credential_headers(&self) -> Vec<HeaderName> {
        self.credentials.header_names()
    }
}

/// `wa-analytics api`: the request with the key, as every Engati request.
#[async_trait::async_trait]
impl crate::provider::raw::RawApi for EngatiClient {
    fn url(&self, req: &ApiRequest) -> String {
        EngatiClient::url(self, req)
    }

    fn credential_headers(&self) -> Vec<HeaderName> {
        EngatiClient::credential_headers(self)
    }

    async fn send_raw(&self, req: ApiRequest) -> Result<ApiResponse, ProviderError> {
        self.credentials.send(&self.http, req).await
    }

    fn answer_error(&self, resp: &ApiResponse) -> Option<ProviderError> {
        check(resp.clone(), Endpoint::Api).err()
    }
}

/// Passes an answer with `status.code` 1000 through; anything else becomes Engati's error.
fn check(resp: ApiResponse, endpoint: Endpoint) -> Result<Answer, ProviderError> {
    let http = resp.status.as_u16();
    let decoded: Option<serde_json::Value> = if resp.body.iter().all(u8::is_ascii_whitespace) {
        Some(serde_json::Value::Null)
    } else {
        serde_json::from_slice(&resp.body).ok()
    };
    let status = decoded.as_ref().and_then(Status::of);
    if resp.is_success() {
        let Some(body) = decoded else {
            // Not JSON (an HTML login page from a proxy, a truncated body): say so.
            return Err(resp.json::<serde_json::Value>(VENDOR).unwrap_err());
        };
        match status.as_ref().and_then(|s| s.code) {
            Some(SUCCESS) => return Ok(Answer { resp, body }),
            // API Trigger documents no body: clients treat HTTP 200 as success (Part 2 §2.7).
            None if endpoint == Endpoint::Trigger => return Ok(Answer { resp, body }),
            // Tolerated: a result without a status wrapper.
            None if body.get("responseObject").is_some() => return Ok(Answer { resp, body }),
            None => {
                let err = ProviderError::new(
                    ErrorKind::BadResponse,
                    VENDOR,
                    "the answer has no status.code (1000 means success)",
                )
                .with_request(resp.request_line.clone())
                .with_status(http)
                .with_hint(if matches!(endpoint, Endpoint::Users | Endpoint::Conversations) {
                    "Engati answered a shape wa-analytics does not know; run with -vv and report it"
                } else {
                    "Engati answered a shape wa-analytics does not know, so whether it was carried out is unknown: check in the Engati portal before sending it again, and run with -vv to report the answer"
                });
                return Err(err);
            }
            Some(_) => {}
        }
    }
    Err(vendor_error(&resp, status.unwrap_or_default(), endpoint))
}

/// The error of a refused request: its kind from the HTTP status and Engati's code, the
/// vendor's words, and what to do next.
fn vendor_error(resp: &ApiResponse, status: Status, endpoint: Endpoint) -> ProviderError {
    let http = resp.status.as_u16();
    let code = status.code;
    let (kind, hint) = classify(http, code, endpoint);
    let message = match (status.name(), status.details()) {
        (_, Some(details)) => Some(details),
        (Some(name), None) => Some(name.to_string()),
        (None, None) => None,
    };
    let mut err = resp.error(VENDOR, kind, message, hint);
    // A code that only repeats the HTTP status (401, 403) adds nothing.
    if let Some(code) = code.filter(|c| *c != i64::from(http)) {
        err = err.with_vendor_code(match (status.name(), status.details()) {
            (Some(name), Some(_)) => format!("{code} {name}"),
            _ => code.to_string(),
        });
    }
    err
}

/// The kind and hint of an error (vendors.md Part 1 and Part 2 §2.3, §2.5 for the codes).
fn classify(http: u16, code: Option<i64>, endpoint: Endpoint) -> (ErrorKind, String) {
    use Endpoint::*;
    use ErrorKind::*;
    let s = |t: &str| t.to_string();
    if http == 401 || code == Some(401) {
        return (Unauthenticated, s(HINTS.unauthenticated));
    }
    if http == 403 || code == Some(403) {
        let why = match endpoint {
            Broadcast => {
                "the broadcast wrapper API must be enabled by Engati support (support@engati.com)"
            }
            ExternalBroadcast => {
                "the external broadcast API needs 360Dialog as the WhatsApp provider and a higher plan"
            }
            Trigger => "API Trigger is available on Enterprise plans by entitlement",
            _ => HINTS.forbidden,
        };
        return (Forbidden, format!("this API key may not do this: {why}"));
    }
    match code {
        Some(1002) => match endpoint {
            Conversations => (
                NotFound,
                s(
                    "no such user: pass the channel user id (for WhatsApp, the phone number) as 'wa-analytics users find' lists it; if 'users find' fails too, check the profile's customer_id and bot_key",
                ),
            ),
            Trigger => (
                NotFound,
                s(
                    "check the flow key (the path info icon in Engati's flow builder) and the profile's customer_id and bot_key",
                ),
            ),
            _ => (
                InvalidRequest,
                s(
                    "check the profile's customer_id and bot_key (Engati portal: Integration > Engati API)",
                ),
            ),
        },
        Some(1003) => (
            InvalidRequest,
            s(
                "the range must lie after 1970-01-01 and end after it starts; check --from, --to and --last",
            ),
        ),
        Some(1004) => (
            InvalidRequest,
            s(
                "page numbers start at 1 and pages hold at most 500 messages; use --page-size 1 to 500",
            ),
        ),
        Some(2003) => (
            InvalidRequest,
            s("the bot_key matches no Engati bot: check the profile's bot_key and customer_id"),
        ),
        Some(2004) => (
            InvalidRequest,
            s(
                "the bot's 360Dialog WhatsApp provider is not configured in Engati; the external broadcast API works only with 360Dialog",
            ),
        ),
        Some(2005) => (
            InvalidRequest,
            s(
                "the audience must be a CSV file whose header is user.phone_number, user.attribute_0, …",
            ),
        ),
        Some(2006) => (
            Unavailable,
            s(
                "the audience upload failed or the file is too large: split it into smaller files, or try again later",
            ),
        ),
        Some(2000) if (400..500).contains(&http) => (
            InvalidRequest,
            s("Engati refused the request; check the options against the message above"),
        ),
        // An unhandled failure on Engati's side.
        Some(2000) => (Unavailable, failing_hint(VENDOR)),
        _ => match status::kind_of(http) {
            BadResponse => (
                BadResponse,
                s(
                    "Engati refused this with a code wa-analytics does not know; run with -vv to see the exchange",
                ),
            ),
            _ => status::classify(VENDOR, http, &HINTS),
        },
    }
}

/// What to do after each status (the kinds are [`status::classify`]'s); Engati's codes come
/// first ([`classify`]).
const HINTS: StatusHints = StatusHints {
    invalid: "Engati refused the request; check the options against the message above",
    unauthenticated: "the api_key is missing, revoked or regenerated: create or copy one under Integration > Engati API in the Engati portal and update the profile",
    forbidden: "check that the api_key belongs to this customer_id and bot_key",
    not_found: "Engati does not know this address: check the profile's base_url (https://api.engati.com, https://api.engati.ai or your white-label host), customer_id and bot_key",
    rate_limited: "Engati is rate-limiting this account; wait and run again, or raise --retries",
};
