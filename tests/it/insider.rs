//! Insider end to end: the real binary against wiremock, every request pinned (method, path,
//! headers, exact JSON body). `reads`: the commands and their output; `auth`: the three ways to
//! authenticate, token minting and renewal, canary secrets; `errors`: every error mapping and
//! every refusal before a request; `numbers`: what the figures mean (unknown schemas, null
//! rates, missing fields, the mapping, UTC chart days, the sandbox's variants).

mod auth;
mod errors;
mod numbers;
mod reads;

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Match, Mock, Request, ResponseTemplate};

use crate::support::{Home, run};

pub(super) const V2: &str = "/api/wa/v2/statistics";
/// `--from 2025-03-01 --to 2025-03-02`: 10-digit seconds, the end inclusive.
pub(super) const MARCH: (i64, i64) = (1_740_787_200, 1_740_959_999);

/// An OAuth profile (client credentials) at `base`.
pub(super) fn oauth(home: &Home, base: &str) {
    home.write_config(&format!(
        "[profiles.ins]\nprovider = \"insider\"\nbase_url = \"{base}\"\nclient_id = \"client-1\"\nclient_secret = \"secret-1\"\n"
    ));
}

/// A profile with a ready bearer token, or any other credential line.
pub(super) fn profile_with(home: &Home, base: &str, credential: &str) {
    home.write_config(&format!(
        "[profiles.ins]\nprovider = \"insider\"\nbase_url = \"{base}\"\n{credential}\n"
    ));
}

/// `POST /auth/token` with the documented JSON body, answering `token`.
pub(super) fn mint(token: &str, expires_in: u64) -> Mock {
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"client_id": "client-1", "client_secret": "secret-1", "scopes": ["wa-stats-api"]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": token, "token_type": "Bearer", "expires_in": expires_in}),
        ))
}

/// A v2 statistics POST with `Bearer token` and exactly `body`.
pub(super) fn v2(endpoint: &str, token: &str, body: Value) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path(format!("{V2}/{endpoint}")))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(body))
}

pub(super) fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

pub(super) fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/fixtures/insider/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Matches a request that does not carry the header.
pub(super) struct Without(&'static str);

impl Match for Without {
    fn matches(&self, request: &Request) -> bool {
        !request.headers.contains_key(self.0)
    }
}

pub(super) fn list_item(id: u64, name: &str, status: &str, created: i64, started: i64) -> Value {
    json!({"id": id, "campName": name, "createDate": created, "activeDateStart": started,
           "activeDateEnd": started + 86_400, "isActive": 0, "isTest": 0, "neverEnds": 0,
           "campaignTypeId": 2, "isPinned": false, "sent": 10, "phoneNumber": "+905551112233",
           "phoneNumberName": "TR", "status": status, "subProductAlias": "standard",
           "queryHash": "ab12", "failedReason": null, "approvalStatus": null,
           "statusTranslation": "Completed", "personalizationStatus": "ready",
           "variations": [{"id": 1, "builderId": id, "variationId": 1, "variation": "A"}]})
}

pub(super) fn list_page(
    items: Vec<Value>,
    page: u64,
    last: u64,
    per_page: u64,
    total: u64,
) -> Value {
    json!({"data": items, "meta": {"current_page": page, "last_page": last, "per_page": per_page, "total": total}})
}

pub(super) fn list_body(page: u64) -> Value {
    json!({"page": page, "per_page": 100, "sort": "createDate|desc"})
}
