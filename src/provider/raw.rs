//! `wa-analytics api` (product.md, "Scripting"): one request of the user's own, with the
//! profile's credentials as the vendor's adapter sends them (Engage's two headers, Engati's key,
//! Insider's minted OAuth token or key, Wolkvox's token, Engagive's bearer token), through the
//! one HTTP client (time-out, retries of reads, redaction, secrets masked in every answer).

use async_trait::async_trait;
use reqwest::header::HeaderName;

use super::ProviderError;
use crate::http::{ApiRequest, ApiResponse};

/// A vendor's API reached with a request the tool does not model (the
/// [`super::AnalyticsProvider::raw_api`] of every vendor).
#[async_trait]
pub trait RawApi: Send + Sync {
    /// The full URL `req` goes to: the profile's base URL, its path and its encoded query.
    fn url(&self, req: &ApiRequest) -> String;

    /// The credential headers a request carries, named for `--dry-run` (which shows `***`).
    fn credential_headers(&self) -> Vec<HeaderName>;

    /// Sends `req` with the profile's credentials, retried when it is a read, the credential
    /// renewed once after a refusal as for every request; the answer whatever its status.
    async fn send_raw(&self, req: ApiRequest) -> Result<ApiResponse, ProviderError>;

    /// The error the vendor's commands would report for `resp` (its words, kind and hint);
    /// `None` for a success.
    fn answer_error(&self, resp: &ApiResponse) -> Option<ProviderError>;
}
