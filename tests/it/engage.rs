//! Engage end to end: the real binary against wiremock, every request pinned (method, path,
//! exact raw query, both credentials). `reads`: campaigns list and summary, stats, and how the
//! rows are printed (TSV when piped, CSV, table, BOM); `details`: paging by limit and offset,
//! 90-day windows, concurrent pages kept in order, a reader that stops early; `export`: the CSV
//! file, written whole or not at all, Ctrl-C; `auth`: the token command rerun on a 401, no
//! credentials across a redirect; `errors`: every error mapping, retries and timeouts, and every
//! refusal before a request; `numbers`: what the figures mean (another schema is exit 6, rates in
//! the scale their counts confirm, null over nothing, one warning per missing field, UTC days), also
//! against the sandbox's variants.

mod auth;
mod details;
mod drift;
mod errors;
mod export;
mod numbers;
mod reads;

use serde_json::{Value, json};
use wiremock::Mock;
use wiremock::matchers::{header, method, path};

use crate::support::RawQuery;

/// A GET of `p` with Engage's two credentials and an exact raw query.
pub(crate) fn engage_get(p: &str, query: String) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path(p))
        .and(RawQuery(query))
        .and(header("x-token", "bot-token-1"))
        .and(header("authorization", "Bearer jwt-1"))
}

fn contact(i: usize) -> Value {
    json!({
        "contact": format!("5730000{i:05}"), "name": format!("Contact {i}"), "status": "read",
        "sent_at": "2026-04-02 10:00:00", "delivered_at": "2026-04-02 10:00:05",
        "read_at": "2026-04-02 10:10:00", "engaged": i % 2 == 0, "response": null, "error": null
    })
}

pub(super) fn page(
    rows: std::ops::Range<usize>,
    limit: usize,
    offset: usize,
    total: usize,
) -> Value {
    json!({"data": rows.map(contact).collect::<Vec<_>>(), "pagination": {"limit": limit, "offset": offset, "total": total}})
}

pub(super) const APRIL: &str = "from=2026-04-01%2000%3A00%3A00&to=2026-04-30%2023%3A59%3A59";
