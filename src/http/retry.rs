//! When and how long to wait before trying a request again: jittered exponential backoff capped
//! at 30 s, and `Retry-After` in both its forms (seconds and HTTP-date).

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The longest backoff between two attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The longest `Retry-After` we honour; a vendor asking for more is reported as rate-limiting
/// (exit 5) rather than left to hang a terminal or a cron job.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

const BASE: Duration = Duration::from_millis(250);

/// The wait before asking again for a request abandoned `elapsed` after it was sent: the
/// backoff, or longer if the vendor's server may still be working on it (`limit`).
pub fn after_abandoned(backoff: Duration, limit: Option<Duration>, elapsed: Duration) -> Duration {
    match limit {
        Some(limit) => backoff.max(limit.saturating_sub(elapsed)),
        None => backoff,
    }
}

/// The wait before attempt `attempt + 1` after `attempt` failed (1-based): "equal jitter", a
/// random point in the upper half of `BASE * 2^(attempt-1)`, capped at [`MAX_BACKOFF`].
pub fn backoff(attempt: u32) -> Duration {
    let exp = BASE.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    let capped = exp.min(MAX_BACKOFF);
    let half = capped / 2;
    half + half.mul_f64(fastrand::f64())
}

/// The wait a response's `Retry-After` asks for, in seconds or as an HTTP-date, if it has one
/// that parses. A date in the past means no wait.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// HTTP statuses every vendor's reads are retried on (vendors.md, "Every vendor").
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn a_request_abandoned_before_the_servers_limit_is_asked_again_after_it() {
        let s = Duration::from_secs;
        // Abandoned at 10 s of Wolkvox's 60: wait the other 50 before asking again.
        assert_eq!(after_abandoned(s(1), Some(s(60)), s(10)), s(50));
        // Past the limit (the default 75 s time-out), or no limit: the backoff alone.
        assert_eq!(after_abandoned(s(1), Some(s(60)), s(75)), s(1));
        assert_eq!(after_abandoned(s(2), None, s(10)), s(2));
    }

    #[test]
    fn retry_after_reads_seconds() {
        assert_eq!(
            retry_after(&headers("7"), SystemTime::now()),
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn retry_after_reads_http_dates_relative_to_now() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let h = headers("Sun, 06 Nov 1994 08:49:49 GMT");
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(12)));
        let past = headers("Sun, 06 Nov 1994 08:49:00 GMT");
        assert_eq!(retry_after(&past, now), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_ignores_garbage() {
        assert_eq!(retry_after(&headers("soon"), SystemTime::now()), None);
        assert_eq!(retry_after(&HeaderMap::new(), SystemTime::now()), None);
    }

    #[test]
    fn backoff_grows_jittered_and_is_capped_at_30_seconds() {
        for attempt in 1..40 {
            let d = backoff(attempt);
            let full = BASE
                .saturating_mul(1u32 << (attempt - 1).min(16))
                .min(MAX_BACKOFF);
            assert!(
                d >= full / 2 && d <= full,
                "attempt {attempt}: {d:?} vs {full:?}"
            );
            assert!(d <= MAX_BACKOFF);
        }
    }

    #[test]
    fn only_429_and_5xx_gateway_statuses_are_retryable() {
        for s in [429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s));
        }
        for s in [200, 400, 401, 403, 404, 501, 422] {
            assert!(!is_retryable_status(s));
        }
    }
}
