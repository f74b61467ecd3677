//! The one error type every provider returns: a semantic kind callers can match, plus the context
//! a person needs (vendor, request, status, the vendor's own code and message, what to do next).

use std::fmt;

/// What went wrong, in terms a caller can act on. Each kind has one exit code (product.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request was refused as malformed (HTTP 400 and vendor validation codes): exit 2.
    InvalidRequest,
    /// The vendor cannot serve this command: exit 2.
    NotSupported,
    /// Credentials missing, invalid or expired (HTTP 401): exit 4.
    Unauthenticated,
    /// Authenticated but not allowed (HTTP 403): exit 4.
    Forbidden,
    /// The campaign, user or template does not exist: exit 7.
    NotFound,
    /// Rate-limited beyond the retry budget, or asked to wait longer than allowed: exit 5.
    RateLimited,
    /// The vendor or the network failed after retries (5xx, time-outs, resets): exit 6.
    Unavailable,
    /// The vendor answered something we cannot read (HTML, truncated, wrong shape): exit 6.
    BadResponse,
    /// Some rows were produced but not all of them could be proven complete: exit 3.
    Incomplete,
}

impl ErrorKind {
    /// The process exit code of this kind (product.md, "Exit codes").
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::InvalidRequest | ErrorKind::NotSupported => 2,
            ErrorKind::Incomplete => 3,
            ErrorKind::Unauthenticated | ErrorKind::Forbidden => 4,
            ErrorKind::RateLimited => 5,
            ErrorKind::Unavailable | ErrorKind::BadResponse => 6,
            ErrorKind::NotFound => 7,
        }
    }
}

/// A provider failure with its context. `Display` is the one-paragraph message users see; it
/// never holds a query string or a secret.
#[derive(Debug, Clone)]
pub struct ProviderError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The vendor's display name (`Engage`).
    pub vendor: &'static str,
    /// `GET /campaign/x/summary` — method and path only, never the query.
    pub request: Option<String>,
    /// The HTTP status, when the vendor answered.
    pub status: Option<u16>,
    /// The vendor's own error code (`CAMPAIGN_NOT_FOUND`, `3004`).
    pub vendor_code: Option<String>,
    /// The vendor's own message, or our description of the failure.
    pub message: String,
    /// What to do next.
    pub hint: Option<String>,
    /// The hint only says to try again later (the HTTP layer's and every vendor's answer to a
    /// failure on their side): wrong advice for a write that may have been carried out, so
    /// `cli::write` replaces such a hint, and never an adapter's own advice.
    pub hint_is_retry: bool,
    /// The request surely never reached the vendor (the connection could not be opened).
    pub never_sent: bool,
}

/// The hint for a vendor failing on its side (HTTP 5xx and the like).
pub fn failing_hint(vendor: &str) -> String {
    format!("{vendor} is failing; try again later (--retries and --timeout allow longer waits)")
}

impl ProviderError {
    /// An error of `kind` from `vendor` with a message and no request context.
    pub fn new(kind: ErrorKind, vendor: &'static str, message: impl Into<String>) -> Self {
        ProviderError {
            kind,
            vendor,
            request: None,
            status: None,
            vendor_code: None,
            message: message.into(),
            hint: None,
            hint_is_retry: false,
            never_sent: false,
        }
    }

    /// A credential the vendor's client cannot read (a variable not set, a failing command):
    /// exit 2, with the secret layer's own hint.
    pub fn from_secret(vendor: &'static str, e: crate::secret::SecretError) -> Self {
        let mut err = ProviderError::new(ErrorKind::InvalidRequest, vendor, e.message);
        err.hint = e.hint;
        err
    }

    /// The vendor cannot serve `command`; `supported` lists the commands it can.
    pub fn not_supported(vendor: &'static str, command: &str, supported: &[&str]) -> Self {
        let list = if supported.is_empty() {
            "none yet".to_string()
        } else {
            supported.join(", ")
        };
        ProviderError::new(
            ErrorKind::NotSupported,
            vendor,
            format!("{vendor} does not support '{command}'"),
        )
        .with_hint(format!(
            "commands {vendor} supports: {list}. Run 'wa-analytics providers' to compare vendors."
        ))
    }

    /// Adds the request line (`GET /path`).
    pub fn with_request(mut self, request: impl Into<String>) -> Self {
        self.request = Some(request.into());
        self
    }

    /// Adds the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Adds the vendor's own error code.
    pub fn with_vendor_code(mut self, code: impl Into<String>) -> Self {
        self.vendor_code = Some(code.into());
        self
    }

    /// Adds (or replaces) the hint; one made by [`failing_hint`] only says to try again.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        let hint = hint.into();
        self.hint_is_retry = hint == failing_hint(self.vendor);
        self.hint = Some(hint);
        self
    }

    /// Adds (or replaces) a hint that only says to try again later (see `hint_is_retry`).
    pub fn with_retry_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self.hint_is_retry = true;
        self
    }

    /// Marks a failure that happened before the request left (it was surely not carried out).
    pub fn never_sent(mut self) -> Self {
        self.never_sent = true;
        self
    }

    /// Whether the request may have been carried out although it failed: it left, and the
    /// failure (a time-out, a reset, a 5xx, an unreadable 2xx) does not prove the vendor ignored
    /// it.
    pub fn outcome_unknown(&self) -> bool {
        !self.never_sent
            && matches!(self.kind, ErrorKind::Unavailable | ErrorKind::BadResponse)
            && self
                .status
                .is_none_or(|s| s >= 500 || (200..300).contains(&s))
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
}

impl fmt::Display for ProviderError {
    /// The paragraph, with every registered secret scrubbed: vendors may echo a credential in
    /// their own messages, and this text reaches stdout too (`profiles check`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.compose();
        f.write_str(&crate::secret::scrub(&text))
    }
}

impl ProviderError {
    fn compose(&self) -> String {
        let mut f = String::new();
        let _ = self.compose_into(&mut f);
        f
    }

    fn compose_into(&self, f: &mut String) -> fmt::Result {
        use std::fmt::Write;
        match (&self.request, self.status) {
            (Some(req), Some(status)) => write!(
                f,
                "{} {} answered {}",
                self.vendor,
                req,
                status_line(status)
            )?,
            (Some(req), None) => write!(f, "{} {} failed", self.vendor, req)?,
            (None, _) => write!(f, "{}", self.vendor)?,
        }
        match &self.vendor_code {
            Some(code) => write!(f, ": {code}: {}", self.message)?,
            None => write!(f, ": {}", self.message)?,
        }
        if !self.message.ends_with('.') {
            f.write_str(".")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProviderError {}

/// `404 Not Found`.
pub fn status_line(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}
