//! The HTTP layer shared by every vendor: one client, retries with backoff and `Retry-After`,
//! per-vendor concurrency limits, redirects that never carry credentials to another origin, and
//! request logging with secrets redacted. Only this module talks to the network.

pub mod auth;
pub mod encode;
mod mask;
pub mod retry;
pub mod status;

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, LOCATION};
use reqwest::{Method, StatusCode};
use tokio::sync::Semaphore;
use url::Url;

use crate::api_error::{ErrorKind, ProviderError};

/// Requests in flight at once when neither `--concurrency` nor the profile says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// The largest answer read (product.md, "Hostile answers are bounded"): no vendor documents a
/// larger one (Wolkvox's 256 MB is the one documented cap).
pub const MAX_BODY: u64 = 256 << 20;

/// The largest error answer (4xx, 5xx) read: a vendor's error is a few hundred bytes.
pub const MAX_ERROR_BODY: u64 = 1 << 20;

/// Options that apply to every request of a run (`--timeout`, `--retries`, `--concurrency`).
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Per-request timeout.
    pub timeout: Duration,
    /// Attempts for retryable failures, the first included.
    pub retries: u32,
    /// `--concurrency`, if given: requests in flight at once (a vendor's own limit still wins).
    pub concurrency: Option<usize>,
    /// The most bytes read of an answer ([`MAX_BODY`]); a larger one ends the request with
    /// [`ErrorKind::BadResponse`] as soon as it is known to be larger, never read whole.
    pub max_body: u64,
    /// The same for an error answer, 4xx or 5xx ([`MAX_ERROR_BODY`]).
    pub max_error_body: u64,
    /// How long the vendor's server may work on one request (Wolkvox: 60 s): a request this
    /// side abandoned at its time-out is asked again only once that has passed, so the server
    /// never works on two at once (Wolkvox answers that with 403 "SIMULTANEOUS REQUESTS").
    pub server_limit: Option<Duration>,
    /// The requests in flight of every client that shares one vendor limit (profiles of one
    /// Wolkvox token in a run over several profiles); `None`: this client's own.
    pub limiter: Option<Arc<Semaphore>>,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(30),
            retries: 5,
            concurrency: None,
            max_body: MAX_BODY,
            max_error_body: MAX_ERROR_BODY,
            server_limit: None,
            limiter: None,
        }
    }
}

impl HttpOptions {
    /// Requests in flight at once: `--concurrency`, else the profile's `concurrency`, else
    /// [`DEFAULT_CONCURRENCY`]; at least 1.
    pub fn concurrency(&self, profile: Option<usize>) -> usize {
        self.concurrency
            .or(profile)
            .unwrap_or(DEFAULT_CONCURRENCY)
            .max(1)
    }
}

/// Whether a request may be sent again after it may have reached the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// A read (GET, or a read-only POST such as Insider's statistics): retried on 429, 5xx,
    /// time-outs and resets.
    Read,
    /// A write: retried only when the connection could not be made at all.
    Write,
}

/// A vendor's extra rule for retryable answers (Wolkvox's 403 "SIMULTANEOUS REQUESTS").
pub type RetryRule = fn(&ApiResponse) -> bool;

/// One request, relative to the client's base URL.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    /// The method.
    pub method: Method,
    /// The path after the base URL, already encoded (use [`encode::segment`]).
    pub path: String,
    /// Query pairs, in order; encoded by the client. Names are usually static; Engati's API
    /// Trigger v1 takes the user's own attribute names as query parameters.
    pub query: Vec<(Cow<'static, str>, String)>,
    /// Headers. Credentials must be marked sensitive (`HeaderValue::set_sensitive`), which is
    /// what keeps them out of logs and off cross-origin redirects.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The body, with its content type.
    pub body: Option<(HeaderValue, Bytes)>,
    /// Read or write.
    pub safety: Safety,
    /// Extra retryable answers besides 429/5xx.
    pub retry_rule: Option<RetryRule>,
    /// The answer carries a credential this client needs (a token endpoint's answer): it is
    /// not masked. Every other answer has each registered secret masked where it arrives
    /// (`mask`), whatever field a server echoed it into.
    pub answer_holds_credentials: bool,
}

impl ApiRequest {
    /// A read-only GET of `path`.
    pub fn get(path: impl Into<String>) -> Self {
        ApiRequest {
            method: Method::GET,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            safety: Safety::Read,
            retry_rule: None,
            answer_holds_credentials: false,
        }
    }

    /// A write POST of `path` ([`Safety::Write`]: never retried once it may have reached the
    /// vendor).
    pub fn post(path: impl Into<String>) -> Self {
        ApiRequest {
            method: Method::POST,
            safety: Safety::Write,
            ..ApiRequest::get(path)
        }
    }

    /// A read-only POST of `path` (Insider's statistics take their parameters in a body):
    /// retried like a GET.
    pub fn read_post(path: impl Into<String>) -> Self {
        ApiRequest {
            method: Method::POST,
            ..ApiRequest::get(path)
        }
    }

    /// Sets the body and its content type.
    pub fn body(mut self, content_type: HeaderValue, body: impl Into<Bytes>) -> Self {
        self.body = Some((content_type, body.into()));
        self
    }

    /// Sets a JSON body (`application/json`).
    pub fn json_body(self, value: &serde_json::Value) -> Self {
        let bytes = serde_json::to_vec(value).expect("a serde_json::Value always serializes");
        self.body(HeaderValue::from_static("application/json"), bytes)
    }

    /// Adds a query pair.
    pub fn query(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.query.push((Cow::Borrowed(key), value.into()));
        self
    }

    /// Adds a query pair whose name is not known in advance (Engati's API Trigger v1 takes the
    /// user's own attribute names as query parameters).
    pub fn query_named(mut self, key: String, value: impl Into<String>) -> Self {
        self.query.push((Cow::Owned(key), value.into()));
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Marks a request whose answer carries a credential (a token endpoint's): its body is
    /// passed on as it came, secrets included.
    pub fn answer_holds_credentials(mut self) -> Self {
        self.answer_holds_credentials = true;
        self
    }

    /// `GET /path` — what error messages name: method and path, never the query.
    pub fn request_line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// A vendor's answer, whatever its status; the body is read whole (one page).
#[derive(Debug, Clone)]
pub struct ApiResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// `GET /path` of the request that got this answer.
    pub request_line: String,
}

impl ApiResponse {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// Decodes a JSON body, or explains why it is not one (HTML from a proxy, a truncated or
    /// empty body, a different shape) as a [`ErrorKind::BadResponse`].
    pub fn json<T: serde::de::DeserializeOwned>(
        &self,
        vendor: &'static str,
    ) -> Result<T, ProviderError> {
        self.json_seed(vendor, std::marker::PhantomData)
    }

    /// The answer has a shape this client does not know (exit 6).
    pub fn bad_shape(&self, vendor: &'static str, what: impl Into<String>) -> ProviderError {
        ProviderError::new(ErrorKind::BadResponse, vendor, what)
            .with_request(self.request_line.clone())
            .with_status(self.status.as_u16())
            .with_hint(format!(
                "{vendor} answered a shape wa-analytics does not know; run with -vv and report it"
            ))
    }

    /// The answer does not add up with the ones before it, so the result cannot be proven
    /// complete (exit 3); `hint` says what to run again.
    pub fn incomplete(&self, vendor: &'static str, what: String, hint: &str) -> ProviderError {
        ProviderError::new(ErrorKind::Incomplete, vendor, what)
            .with_request(self.request_line.clone())
            .with_hint(hint)
    }

    /// [`ApiResponse::json`] through a [`DeserializeSeed`](serde::de::DeserializeSeed), for a
    /// page decoded with what the caller knows (its size, say).
    pub fn json_seed<'de, S: serde::de::DeserializeSeed<'de>>(
        &'de self,
        vendor: &'static str,
        seed: S,
    ) -> Result<S::Value, ProviderError> {
        let decoded = match simdutf8::basic::from_utf8(&self.body) {
            // UTF-8 is checked once for the whole body here (with SIMD where the CPU has it: about
            // half of std's time on pages of Latin names), not again for every string in it.
            Ok(text) => whole(serde_json::Deserializer::from_str(text), seed),
            // serde_json says where the bad byte is.
            Err(_) => whole(serde_json::Deserializer::from_slice(&self.body), seed),
        };
        decoded.map_err(|e| {
            let what = describe_unreadable(&self.body, &e);
            ProviderError::new(ErrorKind::BadResponse, vendor, what)
                .with_request(self.request_line.clone())
                .with_status(self.status.as_u16())
                .with_retry_hint(format!(
                    "{vendor} answered something wa-analytics cannot read; try again, and run with -vv to see the exchange"
                ))
        })
    }
}

/// Decodes the one JSON value `de` reads, refusing anything after it.
fn whole<'de, R, S>(mut de: serde_json::Deserializer<R>, seed: S) -> serde_json::Result<S::Value>
where
    R: serde_json::de::Read<'de>,
    S: serde::de::DeserializeSeed<'de>,
{
    let value = seed.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

fn describe_unreadable(body: &[u8], e: &serde_json::Error) -> String {
    let start = String::from_utf8_lossy(&body[..body.len().min(64)])
        .trim_start()
        .to_ascii_lowercase();
    if body.is_empty() {
        "the response body was empty".to_string()
    } else if start.starts_with("<!doctype") || start.starts_with("<html") || start.starts_with('<')
    {
        "the response was HTML, not JSON (a proxy, captive portal or login page?)".to_string()
    } else if e.is_eof() {
        format!(
            "the response ended early ({} bytes; truncated JSON)",
            body.len()
        )
    } else {
        format!("the response was not the expected JSON ({e})")
    }
}

/// One vendor's HTTP client.
#[derive(Debug, Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    vendor: &'static str,
    base: Url,
    options: HttpOptions,
    /// Requests in flight at once (`--concurrency`, resolved by `provider::build`).
    concurrency: usize,
    limiter: Arc<Semaphore>,
}

const MAX_REDIRECTS: usize = 5;

impl HttpClient {
    /// A client for `vendor` at `base_url`. Plain `http://` is refused for any host but
    /// loopback. `options.concurrency` caps the requests in flight at once.
    pub fn new(
        vendor: &'static str,
        base_url: &str,
        options: &HttpOptions,
    ) -> Result<HttpClient, ProviderError> {
        let concurrency = options.concurrency(None);
        let base = Url::parse(base_url.trim()).map_err(|e| {
            ProviderError::new(
                ErrorKind::InvalidRequest,
                vendor,
                format!("base_url '{base_url}' is not a valid URL ({e})"),
            )
            .with_hint("write it as https://host[/prefix]")
        })?;
        check_scheme(vendor, &base)?;
        install_tls_provider();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("wa-analytics/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| {
                ProviderError::new(
                    ErrorKind::Unavailable,
                    vendor,
                    format!("could not start the HTTP client ({})", e.without_url()),
                )
            })?;
        Ok(HttpClient {
            client,
            vendor,
            base,
            options: options.clone(),
            concurrency,
            limiter: options
                .limiter
                .clone()
                .unwrap_or_else(|| Arc::new(Semaphore::new(concurrency))),
        })
    }

    /// Requests in flight at once: how many pages an adapter may ask for together.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// The full URL of a request (base + path + encoded query).
    pub fn url(&self, req: &ApiRequest) -> Url {
        let mut url = self.base.clone();
        let base_path = url.path().trim_end_matches('/').to_string();
        url.set_path(&format!("{base_path}{}", req.path));
        if req.query.is_empty() {
            url.set_query(None);
        } else {
            url.set_query(Some(&encode::query(&req.query)));
        }
        url
    }

    /// Sends a request, retrying what is safe to retry, following redirects (credentials only
    /// to the same origin). Any HTTP status is returned as a response for the vendor to decode;
    /// only failures to get an answer at all are errors ([`ErrorKind::Unavailable`]).
    pub async fn send(&self, req: &ApiRequest) -> Result<ApiResponse, ProviderError> {
        let attempts = self.options.retries.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let sent = Instant::now();
            let (wait, why) = match self.send_once(req).await {
                Ok(resp) => {
                    let retryable = retry::is_retryable_status(resp.status.as_u16())
                        || req.retry_rule.is_some_and(|rule| rule(&resp));
                    if !retryable || req.safety == Safety::Write || attempt >= attempts {
                        return Ok(resp);
                    }
                    let wait = match retry::retry_after(&resp.headers, SystemTime::now()) {
                        Some(w) if w > retry::MAX_RETRY_AFTER => return Ok(resp),
                        Some(w) => w,
                        None => retry::backoff(attempt),
                    };
                    (wait, resp.status.to_string())
                }
                Err(failure) => {
                    let may_retry = (req.safety == Safety::Read || failure.before_sending)
                        && !failure.final_answer;
                    if !may_retry || attempt >= attempts {
                        return Err(failure.error);
                    }
                    let limit = self.options.server_limit.filter(|_| failure.timed_out);
                    let wait =
                        retry::after_abandoned(retry::backoff(attempt), limit, sent.elapsed());
                    (wait, failure.error.message)
                }
            };
            info!(
                "{} {}: {why}; retrying in {:.1} s (attempt {}/{attempts})",
                self.vendor,
                req.request_line(),
                wait.as_secs_f64(),
                attempt + 1
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt, redirects included.
    async fn send_once(&self, req: &ApiRequest) -> Result<ApiResponse, Failure> {
        let _permit = (self.limiter.acquire().await).expect("the semaphore is never closed");
        let mut url = self.url(req);
        let origin = url.origin();
        let mut method = req.method.clone();
        let mut body = req.body.clone();
        for _ in 0..=MAX_REDIRECTS {
            let same_origin = url.origin() == origin;
            let resp = self
                .exchange(req, &method, &url, body.as_ref(), same_origin)
                .await?;
            if !resp.status.is_redirection() {
                return Ok(resp);
            }
            let Some(location) = resp.headers.get(LOCATION).and_then(|v| v.to_str().ok()) else {
                return Ok(resp);
            };
            let next = url.join(location).map_err(|_| {
                Failure::after(self.error(
                    req,
                    ErrorKind::BadResponse,
                    "redirected to an invalid address",
                ))
            })?;
            check_scheme(self.vendor, &next)
                .map_err(|e| Failure::after(e.with_request(req.request_line())))?;
            if next.origin() != origin {
                trace!(
                    "redirect to another origin: credentials are not sent to {}",
                    next.origin().ascii_serialization()
                );
            }
            if resp.status == StatusCode::SEE_OTHER
                || (method == Method::POST && matches!(resp.status.as_u16(), 301 | 302))
            {
                method = Method::GET;
                body = None;
            }
            if body.is_some() && next.origin() != origin {
                // A body can hold credentials (Insider's client_secret) or personal data: a
                // 307/308 to another origin is answered as is, not followed.
                return Ok(resp);
            }
            url = next;
        }
        Err(Failure::after(self.error(
            req,
            ErrorKind::BadResponse,
            "too many redirects",
        )))
    }

    /// One HTTP exchange: send, read the whole body (up to the cap), log.
    async fn exchange(
        &self,
        req: &ApiRequest,
        method: &Method,
        url: &Url,
        body: Option<&(HeaderValue, Bytes)>,
        send_credentials: bool,
    ) -> Result<ApiResponse, Failure> {
        let mut builder = self
            .client
            .request(method.clone(), url.clone())
            .timeout(self.options.timeout);
        let mut shown = Vec::new();
        for (name, value) in &req.headers {
            if value.is_sensitive() && !send_credentials {
                continue;
            }
            builder = builder.header(name, value.clone());
            let printable = if value.is_sensitive() {
                "***"
            } else {
                value.to_str().unwrap_or("<binary>")
            };
            shown.push(format!("{name}: {printable}"));
        }
        if let Some((content_type, bytes)) = body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, content_type.clone())
                .body(bytes.clone());
        }
        trace!(
            "> {method} {url}{}",
            if shown.is_empty() {
                String::new()
            } else {
                format!(" [{}]", shown.join(", "))
            }
        );
        let started = Instant::now();
        let resp = builder
            .send()
            .await
            .map_err(|e| self.transport_failure(req, &e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let mut body = self.read_body(req, resp).await?;
        if !req.answer_holds_credentials
            && let Some(masked) = mask::mask(&body)
        {
            // A server that echoes request headers into its data (a field holding them all)
            // would otherwise put the token on stdout or into a -o file. (An error's text is
            // masked all the same; saying so is for data.)
            if status.is_success() {
                warn_once!(
                    "secret-in-answer",
                    "{} put a credential of this profile into its answer; it is shown as ***",
                    self.vendor
                );
            }
            body = Bytes::from(masked);
        }
        trace!(
            "< {status} {} ({} ms, {} bytes)",
            url.path(),
            started.elapsed().as_millis(),
            body.len()
        );
        Ok(ApiResponse {
            status,
            headers,
            body,
            request_line: req.request_line(),
        })
    }

    /// Reads the body as it arrives, never more than the cap for its status: a larger answer
    /// (announced by its `Content-Length`, or found while reading) is not read further.
    async fn read_body(
        &self,
        req: &ApiRequest,
        mut resp: reqwest::Response,
    ) -> Result<Bytes, Failure> {
        let status = resp.status();
        let cap = if status.as_u16() >= 400 {
            self.options.max_error_body
        } else {
            self.options.max_body
        };
        let announced = resp.content_length();
        if announced.is_some_and(|n| n > cap) {
            return Err(self.too_large(req, status, cap));
        }
        // One chunk is the whole body more often than not: kept as it came, without a copy.
        let mut first: Option<Bytes> = None;
        let mut body: Vec<u8> = Vec::new();
        let mut read: u64 = 0;
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| self.transport_failure(req, &e))?
        {
            read += chunk.len() as u64;
            if read > cap {
                return Err(self.too_large(req, status, cap));
            }
            if first.is_none() && body.is_empty() {
                first = Some(chunk);
                continue;
            }
            if let Some(first) = first.take() {
                // The capacity grows to what was announced, else doubles, never past the cap.
                let want = announced.unwrap_or(0).max(read.saturating_mul(2)).min(cap);
                body.reserve_exact(usize::try_from(want).unwrap_or(usize::MAX));
                body.extend_from_slice(&first);
            } else if body.capacity() - body.len() < chunk.len() {
                let want = read.saturating_mul(2).min(cap);
                let more = usize::try_from(want).unwrap_or(usize::MAX) - body.len();
                body.reserve_exact(more);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(match first {
            Some(only) => only,
            None => Bytes::from(body),
        })
    }

    /// An answer larger than `cap`: exit 6 and no retry (the same request gets the same answer),
    /// and whether a write was carried out is unknown.
    fn too_large(&self, req: &ApiRequest, status: StatusCode, cap: u64) -> Failure {
        let vendor = self.vendor;
        let what = if status.as_u16() >= 400 {
            format!(
                "{vendor} answered more than {} for an error ({status}), the most wa-analytics reads of an error; it stopped reading there",
                size(cap)
            )
        } else {
            format!(
                "{vendor} answered more than {} ({status}), the most wa-analytics reads of one answer; it stopped reading there",
                size(cap)
            )
        };
        let error = self.error(req, ErrorKind::BadResponse, what).with_hint(format!(
            "no answer of {vendor}'s is this large: check that the profile's base_url points at {vendor}, ask for a shorter range or smaller pages, and run with -vv to see the exchange"
        ));
        Failure {
            error,
            before_sending: false,
            final_answer: true,
            timed_out: false,
        }
    }

    fn transport_failure(&self, req: &ApiRequest, e: &reqwest::Error) -> Failure {
        if let Some(refused) = certificate_problem(e) {
            let host = self.base.host_str().unwrap_or("the server");
            let error = self
                .error(
                    req,
                    ErrorKind::Unavailable,
                    format!("the TLS certificate of {host} was not accepted ({refused})"),
                )
                .with_hint(format!(
                    "if {host} uses a private certificate authority, trust it with SSL_CERT_FILE=/path/to/ca.pem (PEM); otherwise check the profile's base_url and the system clock"
                ))
                .never_sent();
            // The same certificate comes again: asking again would not help.
            return Failure {
                error,
                before_sending: true,
                final_answer: true,
                timed_out: false,
            };
        }
        let before_sending = e.is_connect();
        let what = if e.is_timeout() {
            format!("no answer within {} s", self.options.timeout.as_secs_f64())
        } else if e.is_connect() {
            format!(
                "could not connect to {}",
                self.base.host_str().unwrap_or("the server")
            )
        } else if e.is_body() || e.is_decode() {
            "the connection broke while the response was being read (truncated response)"
                .to_string()
        } else {
            "the connection failed or was reset".to_string()
        };
        let mut error = self
            .error(req, ErrorKind::Unavailable, what)
            .with_retry_hint("check the network and the profile's base_url, or try again later (--retries, --timeout)");
        if before_sending {
            error = error.never_sent();
        }
        Failure {
            error,
            before_sending,
            final_answer: false,
            timed_out: e.is_timeout(),
        }
    }

    fn error(
        &self,
        req: &ApiRequest,
        kind: ErrorKind,
        message: impl Into<String>,
    ) -> ProviderError {
        ProviderError::new(kind, self.vendor, message).with_request(req.request_line())
    }
}

/// What rustls said about the server's certificate, if that is why `e` failed: `invalid peer
/// certificate: UnknownIssuer`, `…: Expired`, `…: NotValidForName`, in rustls's words.
fn certificate_problem(e: &reqwest::Error) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(mut current) = source {
        // An io::Error's `source` skips the error it wraps: look at that one itself (hyper's
        // connector wraps tokio-rustls's io::Error in another one).
        while let Some(inner) = current
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            current = inner;
        }
        if let Some(tls) = current.downcast_ref::<rustls::Error>()
            && matches!(
                tls,
                rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
            )
        {
            return Some(certificate_words(tls));
        }
        // However the layers between wrap it, rustls's words are the same.
        let text = current.to_string();
        if let Some(at) = text.find("invalid peer certificate") {
            return Some(text[at..].to_string());
        }
        source = current.source();
    }
    None
}

/// rustls's words for a refused certificate, with the dates of one that is out of its validity
/// period said as dates (rustls gives them in Unix seconds).
fn certificate_words(tls: &rustls::Error) -> String {
    use rustls::CertificateError::{ExpiredContext, NotValidYetContext};
    let date = |t: rustls::pki_types::UnixTime| {
        i64::try_from(t.as_secs())
            .ok()
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map_or_else(
                || format!("{} (Unix time)", t.as_secs()),
                |d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            )
    };
    match tls {
        rustls::Error::InvalidCertificate(ExpiredContext { not_after, .. }) => format!(
            "invalid peer certificate: it expired at {}",
            date(*not_after)
        ),
        rustls::Error::InvalidCertificate(NotValidYetContext { not_before, .. }) => format!(
            "invalid peer certificate: it is not valid before {}",
            date(*not_before)
        ),
        other => other.to_string(),
    }
}

/// A failed attempt, whether the request certainly never left this machine, and whether asking
/// again would only get the same answer.
struct Failure {
    error: ProviderError,
    before_sending: bool,
    final_answer: bool,
    /// No answer came within the time-out: the server may still be working on it.
    timed_out: bool,
}

impl Failure {
    fn after(error: ProviderError) -> Failure {
        Failure {
            error,
            before_sending: false,
            final_answer: false,
            timed_out: false,
        }
    }
}

/// `256 MB`, `1 MB`, `64 KB`, `1000 bytes`.
fn size(bytes: u64) -> String {
    const MB: u64 = 1 << 20;
    const KB: u64 = 1 << 10;
    if bytes >= MB && bytes % MB == 0 {
        format!("{} MB", bytes / MB)
    } else if bytes >= KB && bytes % KB == 0 {
        format!("{} KB", bytes / KB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Refuses `http://` except to loopback: credentials must not cross a network in clear text.
fn check_scheme(vendor: &'static str, url: &Url) -> Result<(), ProviderError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(ProviderError::new(
            ErrorKind::InvalidRequest,
            vendor,
            format!(
                "refusing plain http:// to {}: credentials would cross the network unencrypted",
                url.host_str().unwrap_or("?")
            ),
        )
        .with_hint("use https://, or http:// only to 127.0.0.1, [::1] or localhost")),
        other => Err(ProviderError::new(
            ErrorKind::InvalidRequest,
            vendor,
            format!("unsupported URL scheme '{other}'"),
        )
        .with_hint("use an https:// base_url")),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn install_tls_provider() {
    // reqwest is built without a bundled crypto provider (ring builds faster and everywhere);
    // installing twice is harmless, the second call just reports the first.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A header value holding a credential: marked sensitive so it is never logged nor sent across
/// origins. A value that is not a valid header (a newline pasted into a token) is an error that
/// does not show the value.
pub fn secret_header(
    vendor: &'static str,
    key: &str,
    value: &str,
) -> Result<HeaderValue, ProviderError> {
    let mut v = HeaderValue::from_str(value).map_err(|_| {
        ProviderError::new(
            ErrorKind::InvalidRequest,
            vendor,
            format!(
                "the profile's {key} contains characters that cannot be sent in an HTTP header"
            ),
        )
        .with_hint("check the value for stray newlines or quotes")
    })?;
    v.set_sensitive(true);
    Ok(v)
}
