//! Test helpers: a client, a sandbox with a fixed data anchor, URL building.

use chrono::{DateTime, TimeZone, Utc};
use url::Url;

use crate::sandbox::{Sandbox, SandboxOptions};
use crate::vendor::Vendor;

/// A plain-HTTP client (no TLS provider is needed for 127.0.0.1, but reqwest's builder may want
/// one installed).
pub(crate) fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().build().expect("reqwest client")
}

/// The fixed end of the data span used by tests, so expectations do not depend on the day.
pub(crate) fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap()
}

/// A sandbox with `rows` per campaign, seed 7, anchored at [`anchor`].
pub(crate) async fn sandbox(rows: u64) -> Sandbox {
    sandbox_with(SandboxOptions {
        rows,
        seed: 7,
        ..SandboxOptions::default()
    })
    .await
}

/// A sandbox with the given options, anchored at [`anchor`].
pub(crate) async fn sandbox_with(options: SandboxOptions) -> Sandbox {
    Sandbox::start_anchored(options, anchor())
        .await
        .expect("sandbox starts")
}

/// `base_url(vendor)` + path segments (each percent-encoded as ONE segment) + query pairs.
pub(crate) fn url(sb: &Sandbox, vendor: Vendor, segments: &[&str], query: &[(&str, &str)]) -> Url {
    let mut u = Url::parse(&sb.base_url(vendor)).unwrap();
    u.path_segments_mut().unwrap().extend(segments);
    if !query.is_empty() {
        u.query_pairs_mut().extend_pairs(query);
    }
    u
}

/// Status and JSON body of a response.
pub(crate) async fn json_of(resp: reqwest::Response) -> (u16, serde_json::Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, v)
}
