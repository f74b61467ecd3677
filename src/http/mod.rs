//! The HTTP layer shared by every vendor: one client, retries with backoff and `Retry-After`,
//! per-vendor concurrency limits, redirects that never carry credentials to another origin, and
//! request logging with secrets redacted. Only this module talks to the network.

/// Options that apply to every request of a run (`--timeout`, `--retries`).
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Per-request timeout.
    pub timeout: std::time::Duration,
    /// Attempts for retryable failures, the first included.
    pub retries: u32,
}
