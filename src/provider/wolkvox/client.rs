//! Wolkvox requests: the base URL from `server` (or `base_url`), the `wolkvox-token` header, one
//! request in flight per token, and the `{code,error,msg}` answers turned into
//! [`ProviderError`]s (vendors.md Part 1 "Wolkvox", Part 2 §4.1 and §4.4).

use reqwest::header::HeaderName;

use crate::config::{Profile, ProfileOrigin};
use crate::http::auth::{CredentialHeader, Credentials, Scheme};
use crate::http::status::{self, StatusHints};
use crate::http::{ApiRequest, ApiResponse, HttpClient, HttpOptions};
use crate::provider::{ErrorKind, ProviderError, Vendor};
use crate::time::{DateRange, Zone};

use super::VENDOR;
use super::windows::date_param;
use super::wire::{Envelope, ErrorBody, WireRow, is_success_code, reported_count};

/// The `wolkvox-token` header (Part 2 §4.1).
const TOKEN_HEADER: HeaderName = HeaderName::from_static("wolkvox-token");

/// The reports module every report of this adapter lives in.
const REPORTS: &str = "/reports_manager.php";

/// The concurrency refusal, retried like a 429 (Part 1 "Every vendor"; Part 2 §4.4).
const SIMULTANEOUS: &str = "SIMULTANEOUS REQUESTS";

/// The daily quota refusal: not retryable today (Part 1), exit 5.
const QUOTA: &str = "TOKEN LIMIT EXCEEDED";

/// One report window's rows and the count the vendor's `msg` gave, if it gave one.
pub(super) struct Page<T> {
    pub rows: Vec<T>,
    pub reported: Option<u64>,
}

/// Wolkvox's HTTP client with the profile's token.
#[derive(Debug)]
pub(super) struct WolkvoxClient {
    http: HttpClient,
    credentials: Credentials,
}

impl WolkvoxClient {
    pub(super) fn new(
        profile: &Profile,
        options: &HttpOptions,
    ) -> Result<WolkvoxClient, ProviderError> {
        let token = profile.secret("token").ok_or_else(|| {
            config_problem(
                profile,
                "has no token",
                "token",
                "{ env = \"WOLKVOX_TOKEN\" }",
            )
        })?;
        let base = base_url(profile)?;
        // One request in flight per token: `provider::build` holds `options` to the limit in
        // `capabilities`; asking for more is warned about where the account is opened.
        let http = HttpClient::new(VENDOR, &base, options)?;
        let credentials = Credentials::new(
            VENDOR,
            vec![CredentialHeader::new(
                TOKEN_HEADER,
                "token",
                Scheme::Raw,
                token,
            )],
        )
        .refused_when(is_token_refusal);
        Ok(WolkvoxClient { http, credentials })
    }

    /// Asks a `reports_manager.php` report for one window: `api`, then `campaign_id` where the
    /// report takes one, then `date_ini` and `date_end`, both inclusive, in the operation's zone.
    pub(super) async fn report<T: WireRow>(
        &self,
        api: &'static str,
        campaign_id: Option<&str>,
        window: &DateRange,
        zone: &Zone,
    ) -> Result<Page<T>, ProviderError> {
        let mut req = ApiRequest::get(REPORTS).query("api", api);
        if let Some(id) = campaign_id {
            req = req.query("campaign_id", id);
        }
        let last_second = window.end - chrono::Duration::seconds(1);
        req = req
            .query("date_ini", date_param(window.start, zone))
            .query("date_end", date_param(last_second.max(window.start), zone));
        req.retry_rule = Some(is_simultaneous);
        let resp = self.get(req).await?;
        let body: Envelope<T> = resp.json(VENDOR)?;
        if let Some(code) = body.code.as_deref().filter(|c| !is_success_code(c)) {
            // A 2xx whose body carries an error code (Part 2 §4.5: the status may not mirror
            // `code`).
            let status = code.trim().parse().unwrap_or(resp.status.as_u16());
            return Err(vendor_error(&resp, status, body.error, body.msg));
        }
        Ok(Page {
            reported: body.msg.as_deref().and_then(reported_count),
            rows: body.data,
        })
    }

    /// Sends a GET with the token. A 401, or a 403 that says the token is not valid, re-runs a
    /// `command` token once and tries again.
    async fn get(&self, req: ApiRequest) -> Result<ApiResponse, ProviderError> {
        check(self.credentials.send(&self.http, req).await?)
    }
}

/// `wa-analytics api`: the request with the token, as every Wolkvox request (one in flight).
#[async_trait::async_trait]
impl crate::provider::raw::RawApi for WolkvoxClient {
    fn url(&self, req: &ApiRequest) -> String {
        self.http.url(req).to_string()
    }

    fn credential_headers(&self) -> Vec<HeaderName> {
        self.credentials.header_names()
    }

    async fn send_raw(&self, mut req: ApiRequest) -> Result<ApiResponse, ProviderError> {
        req.retry_rule = Some(is_simultaneous);
        self.credentials.send(&self.http, req).await
    }

    fn answer_error(&self, resp: &ApiResponse) -> Option<ProviderError> {
        if let Err(e) = check(resp.clone()) {
            return Some(e);
        }
        // A 2xx whose body carries an error code (Part 2 §4.5).
        let body: ErrorBody = serde_json::from_slice(&resp.body).ok()?;
        let code = body.code.as_deref().filter(|c| !is_success_code(c))?;
        let status = code.trim().parse().unwrap_or(resp.status.as_u16());
        Some(vendor_error(resp, status, body.error, body.msg))
    }
}

/// `https://wv{server}.wolkvox.com/api/v2`, or the profile's `base_url`.
fn base_url(profile: &Profile) -> Result<String, ProviderError> {
    let server = profile.plain("server").map(str::trim);
    if let Some(s) = server {
        check_server(profile, s)?;
    }
    if let Some(base) = &profile.base_url {
        return Ok(base.clone());
    }
    match server {
        Some(s) => Ok(Vendor::Wolkvox.default_base_url().replace("{server}", s)),
        None => Err(config_problem(
            profile,
            "has no server (the digits of wv<server>.wolkvox.com) and no base_url",
            "server",
            "\"0032\"",
        )),
    }
}

/// Wolkvox servers are numbered with (at least) four digits, `wv0032`, `wv3211` (Part 2 §4.1).
/// A TOML number loses leading zeros (`server = 32`; `0032` is not even valid TOML), so a short
/// number is refused with the quoted spelling that fixes it rather than guessed at.
fn check_server(profile: &Profile, server: &str) -> Result<(), ProviderError> {
    if !server.is_empty() && server.bytes().all(|b| b.is_ascii_digit()) {
        if server.len() >= 4 {
            return Ok(());
        }
        let padded = format!("\"{server:0>4}\"");
        return Err(config_problem(
            profile,
            &format!(
                "has server '{server}', which is shorter than a Wolkvox server number (four digits, as in wv0032.wolkvox.com); written as a TOML number, its leading zeros were lost"
            ),
            "server",
            &padded,
        ));
    }
    Err(config_problem(
        profile,
        "has a server that is not a number: it must be the digits of wv<server>.wolkvox.com",
        "server",
        "\"0032\"",
    ))
}

/// A profile problem (exit 2), naming the profile and how to fix `key`: in the config file, or
/// in the `WA_WOLKVOX_*` variable for `--provider wolkvox`.
fn config_problem(profile: &Profile, what: &str, key: &str, example: &str) -> ProviderError {
    let (message, hint) = match &profile.origin {
        ProfileOrigin::File(path) => (
            format!("profile '{}' in {} {what}", profile.name, path.display()),
            format!("write {key} = {example} in [profiles.{}]", profile.name),
        ),
        ProfileOrigin::Environment => {
            let var = crate::config::env_var_name(Vendor::Wolkvox, key);
            (
                format!("--provider wolkvox {what}"),
                format!(
                    "set {var} (for example {var}={})",
                    example.trim_matches('"')
                ),
            )
        }
    };
    ProviderError::new(ErrorKind::InvalidRequest, VENDOR, message).with_hint(hint)
}

/// The retry rule: Wolkvox's 403 "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN" means
/// another request on this token was still running; trying again later is safe (Part 1).
fn is_simultaneous(resp: &ApiResponse) -> bool {
    // An error envelope is small; a big 200 body is data, whatever its rows say.
    matches!(resp.status.as_u16(), 200 | 403)
        && resp.body.len() < 4096
        && serde_json::from_slice::<ErrorBody>(&resp.body).is_ok_and(|b| {
            b.code.as_deref().map(str::trim) == Some("403")
                && b.msg
                    .is_some_and(|m| m.to_ascii_uppercase().contains(SIMULTANEOUS))
        })
}

/// A 401, or a 403 other than the quota and concurrency refusals: the token itself was refused.
fn is_token_refusal(resp: &ApiResponse) -> bool {
    match resp.status.as_u16() {
        401 => true,
        403 => {
            let text = String::from_utf8_lossy(&resp.body).to_ascii_uppercase();
            !text.contains(SIMULTANEOUS) && !text.contains(QUOTA)
        }
        _ => false,
    }
}

/// Passes a 2xx response through; turns anything else into Wolkvox's error.
fn check(resp: ApiResponse) -> Result<ApiResponse, ProviderError> {
    if resp.is_success() {
        return Ok(resp);
    }
    let body: Option<ErrorBody> = serde_json::from_slice(&resp.body).ok();
    let (error, msg) = body.map_or((None, None), |b| (b.error, b.msg));
    Err(vendor_error(&resp, resp.status.as_u16(), error, msg))
}

/// Wolkvox's error for a status (the HTTP one, or the body's `code` on a 2xx), with its upper-case
/// `error` and `msg` (Part 2 §4.4) and what to do next.
fn vendor_error(
    resp: &ApiResponse,
    status: u16,
    error: Option<String>,
    msg: Option<String>,
) -> ProviderError {
    let upper = msg.as_deref().unwrap_or("").to_ascii_uppercase();
    let (kind, hint) = match status {
        400 if upper.contains("31 DAYS") => (
            ErrorKind::InvalidRequest,
            "wa-analytics asks at most 31 days per request, counted in the profile's timezone; if the vendor counts otherwise, set timezone in the profile to the operation's zone, or run shorter ranges".to_string(),
        ),
        403 if upper.contains(QUOTA) => (
            ErrorKind::RateLimited,
            "the token's daily quota (licences × 1,000 calls) is used up: run again tomorrow, or use another token".to_string(),
        ),
        403 if upper.contains(SIMULTANEOUS) => (
            ErrorKind::RateLimited,
            "another program is using this token at the same time (Wolkvox serves one request per token at a time): wait for it, use another token, or raise --retries".to_string(),
        ),
        _ => status::classify(VENDOR, status, &HINTS),
    };
    // On a 2xx that carries an error, the body's code is the status that counts: show it.
    let code = match (status != resp.status.as_u16(), error) {
        (true, Some(e)) => Some(format!("{status} {e}")),
        (true, None) => Some(status.to_string()),
        (false, e) => e,
    };
    let err = resp.error(VENDOR, kind, msg, hint);
    match code {
        Some(code) => err.with_vendor_code(code),
        None => err,
    }
}

/// What to do after each status (the kinds are [`status::classify`]'s).
const HINTS: StatusHints = StatusHints {
    invalid: "check the range and the campaign id (a number, or 'all')",
    unauthenticated: "the token is missing: set token in the profile (wolkvox Manager → Configuration → Integrations → Tokens)",
    forbidden: "the token is not valid for this server: check token and server in the profile (wolkvox Manager → Configuration → Integrations → Tokens)",
    not_found: "check the profile's server (or base_url): Wolkvox reports live under https://wv<server>.wolkvox.com/api/v2",
    rate_limited: "Wolkvox is rate-limiting this token; wait and run again, or raise --retries",
};

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::config::FieldValue;

    fn profile(server: Option<&str>, base_url: Option<&str>, origin: ProfileOrigin) -> Profile {
        let mut values = BTreeMap::new();
        if let Some(s) = server {
            values.insert("server", FieldValue::Plain(s.to_string()));
        }
        Profile {
            name: "wv".to_string(),
            vendor: Vendor::Wolkvox,
            base_url: base_url.map(str::to_string),
            timezone: None,
            concurrency: None,
            values,
            origin,
        }
    }

    fn file() -> ProfileOrigin {
        ProfileOrigin::File("/etc/wa.toml".into())
    }

    #[test]
    fn the_server_number_names_the_host_and_base_url_overrides_it() {
        let p = profile(Some("0032"), None, file());
        assert_eq!(base_url(&p).unwrap(), "https://wv0032.wolkvox.com/api/v2");
        let p = profile(Some(" 3211 "), None, file());
        assert_eq!(base_url(&p).unwrap(), "https://wv3211.wolkvox.com/api/v2");
        let p = profile(Some("0032"), Some("http://127.0.0.1:9/wolkvox"), file());
        assert_eq!(base_url(&p).unwrap(), "http://127.0.0.1:9/wolkvox");
        let p = profile(None, Some("http://127.0.0.1:9/wolkvox"), file());
        assert_eq!(base_url(&p).unwrap(), "http://127.0.0.1:9/wolkvox");
    }

    #[test]
    fn a_short_or_non_numeric_server_or_none_at_all_is_a_config_error_naming_the_fix() {
        let e = base_url(&profile(Some("32"), None, file())).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.message.contains("server '32'"), "{}", e.message);
        assert!(
            e.message.contains("leading zeros were lost"),
            "{}",
            e.message
        );
        assert_eq!(
            e.hint.as_deref(),
            Some("write server = \"0032\" in [profiles.wv]")
        );
        let e = base_url(&profile(Some("wv0032"), None, file())).unwrap_err();
        assert!(e.message.contains("not a number"), "{}", e.message);
        let e = base_url(&profile(None, None, file())).unwrap_err();
        assert_eq!(
            e.message,
            "profile 'wv' in /etc/wa.toml has no server (the digits of wv<server>.wolkvox.com) and no base_url"
        );
        let e = base_url(&profile(Some("7"), None, ProfileOrigin::Environment)).unwrap_err();
        assert_eq!(
            e.hint.as_deref(),
            Some("set WA_WOLKVOX_SERVER (for example WA_WOLKVOX_SERVER=0007)")
        );
    }
}
