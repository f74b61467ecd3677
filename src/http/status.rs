//! The default table from an HTTP status to an error, written once: the kind (and so the exit
//! code) of each status is the same for every vendor, and each vendor gives its words — what to
//! check after a 400, a 401, a 403, a 404, a 429 — and extends the table with its own body codes
//! before falling back to it.

use crate::api_error::{ErrorKind, ProviderError, QUOTE_CHARS, failing_hint, quote};

use super::ApiResponse;

/// What a vendor tells the user to do after each status of the table.
#[derive(Debug, Clone, Copy)]
pub struct StatusHints {
    /// 400 and 422: the request was refused as malformed.
    pub invalid: &'static str,
    /// 401.
    pub unauthenticated: &'static str,
    /// 403.
    pub forbidden: &'static str,
    /// 404.
    pub not_found: &'static str,
    /// 429.
    pub rate_limited: &'static str,
}

/// The kind of an error answer with `status`, when no vendor rule says otherwise.
pub fn kind_of(status: u16) -> ErrorKind {
    match status {
        400 | 422 => ErrorKind::InvalidRequest,
        401 => ErrorKind::Unauthenticated,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Unavailable,
        _ => ErrorKind::BadResponse,
    }
}

/// The kind and hint of `status` from the default table with `vendor`'s hints.
pub fn classify(vendor: &'static str, status: u16, hints: &StatusHints) -> (ErrorKind, String) {
    let kind = kind_of(status);
    let hint = match kind {
        ErrorKind::InvalidRequest => hints.invalid.to_string(),
        ErrorKind::Unauthenticated => hints.unauthenticated.to_string(),
        ErrorKind::Forbidden => hints.forbidden.to_string(),
        ErrorKind::NotFound => hints.not_found.to_string(),
        ErrorKind::RateLimited => hints.rate_limited.to_string(),
        ErrorKind::Unavailable => failing_hint(vendor),
        _ => "run with -vv to see the exchange".to_string(),
    };
    (kind, hint)
}

impl ApiResponse {
    /// The error of this answer: `kind`, the vendor's `message` (or what the body lacked), the
    /// request line, the HTTP status and `hint` — except that a rate limit that came with a
    /// `Retry-After` says how long the vendor asks to wait. The vendor's message is quoted at
    /// most [`QUOTE_CHARS`] long, its control characters made visible.
    pub fn error(
        &self,
        vendor: &'static str,
        kind: ErrorKind,
        message: Option<String>,
        hint: impl Into<String>,
    ) -> ProviderError {
        let status = self.status.as_u16();
        let message = message.map(|m| quote(&m, QUOTE_CHARS)).unwrap_or_else(|| {
            if status == 429 {
                "rate limited".to_string()
            } else if self.body.is_empty() {
                "no error details in the response".to_string()
            } else {
                format!("the error body was not in {vendor}'s format")
            }
        });
        let err = ProviderError::new(kind, vendor, message)
            .with_request(self.request_line.clone())
            .with_status(status)
            .with_hint(hint);
        match super::retry::retry_after(&self.headers, std::time::SystemTime::now()) {
            Some(wait) if kind == ErrorKind::RateLimited => err.with_hint(format!(
                "{vendor} asks to wait {} s; run again later, or raise --retries",
                wait.as_secs()
            )),
            _ => err,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_class_has_its_kind() {
        let kinds: Vec<_> = [400, 401, 403, 404, 409, 422, 429, 500, 503, 302]
            .map(kind_of)
            .into();
        use ErrorKind::*;
        assert_eq!(
            kinds,
            [
                InvalidRequest,
                Unauthenticated,
                Forbidden,
                NotFound,
                BadResponse,
                InvalidRequest,
                RateLimited,
                Unavailable,
                Unavailable,
                BadResponse
            ]
        );
    }

    #[test]
    fn a_vendor_gives_the_words_and_5xx_says_to_try_again() {
        let hints = StatusHints {
            invalid: "i",
            unauthenticated: "u",
            forbidden: "f",
            not_found: "n",
            rate_limited: "r",
        };
        assert_eq!(
            classify("X", 404, &hints),
            (ErrorKind::NotFound, "n".into())
        );
        assert_eq!(
            classify("X", 502, &hints),
            (ErrorKind::Unavailable, failing_hint("X"))
        );
        assert_eq!(
            classify("X", 418, &hints).1,
            "run with -vv to see the exchange"
        );
    }
}
