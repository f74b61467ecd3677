//! Engati end to end: the real binary against wiremock, every request pinned (method, path,
//! encoded query, the raw key in `Authorization: Basic`). `users`: `users find`; `conversations`:
//! paging by page number, read-ahead, ranges in epoch milliseconds, `--limit`, the formats;
//! `errors`: every error mapping and every refusal before a request; `auth`: the key from
//! variables, `profiles check`, the key command rerun on a 401, the key never in any output;
//! `writes`: the template message, broadcasts and API Trigger; `numbers`: unreadable records
//! (exit 6), missing fields (one warning), the whole history without a range.

mod auth;
mod conversations;
mod errors;
mod numbers;
mod users;
mod writes;

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer};

use crate::support::{Home, RawQuery, strict_server};

/// An Engati API key of the documented shape (UUID + `-` + 7 characters).
pub(super) const KEY: &str = "3f2a9c1e-0b7d-4e55-9a61-2c8d7f4b1a90-AB12CDE";
pub(super) const CID: &str = "10294";
pub(super) const BOT: &str = "1a1c9bfa5e0f41ed";
pub(super) const BOT_PATH: &str = "/bot-api/v1.0/customer/10294/bot/1a1c9bfa5e0f41ed";

/// An engati profile named `engati-test` (the default) pointing at `base_url`.
pub(super) fn engati_config(home: &Home, base_url: &str) {
    home.write_config(&format!(
        "default_profile = \"engati-test\"\n\n[profiles.engati-test]\nprovider = \"engati\"\nbase_url = \"{base_url}\"\napi_key = \"{KEY}\"\ncustomer_id = \"{CID}\"\nbot_key = \"{BOT}\"\n"
    ));
}

/// A GET of `p` with the raw key and an exact raw query.
pub(super) fn engati_get(p: &str, query: &str) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path(p))
        .and(RawQuery(query.to_string()))
        .and(header("authorization", format!("Basic {KEY}").as_str()))
}

pub(super) fn users_path() -> String {
    format!("{BOT_PATH}/users")
}

pub(super) fn conversations_path(user: &str) -> String {
    format!("{BOT_PATH}/channel-user/{user}/conversations")
}

fn message(i: usize) -> Value {
    json!({"message_id": format!("m{i:03}"), "sender": if i % 2 == 0 { "bot" } else { "user" },
           "message": format!("line {i}"), "timestamp": format!("2026-04-02 10:{:02}:00.000+0000", i % 60)})
}

pub(super) fn page(number: u64, size: u64, rows: std::ops::Range<usize>) -> Value {
    json!({"status": {"code": 1000, "desc": "SUCCESS"},
           "responseObject": {"page_number": number, "page_size": size,
                              "conversations": rows.map(message).collect::<Vec<_>>()}})
}

pub(super) async fn server_with_config() -> (MockServer, Home) {
    let server = strict_server().await;
    let home = Home::new();
    engati_config(&home, &server.uri());
    (server, home)
}

pub(super) fn engati_status(code: i64, desc: &str, details: Option<&str>) -> Value {
    let mut s = json!({"code": code, "desc": desc});
    if let Some(d) = details {
        s["details"] = json!(d);
    }
    json!({ "status": s })
}

pub(super) const CANARY: &str = "CANARY-0e4f-41aa-9c3b-7d2e1f6a8b90-ENGATI9";

/// The canary in every form it could leak in: as is, after `Basic `, and base64 (standard and
/// URL-safe) of both.
fn canary_forms() -> Vec<String> {
    use base64::Engine;
    let e = base64::engine::general_purpose::STANDARD;
    let u = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let basic = format!("Basic {CANARY}");
    vec![
        CANARY.to_string(),
        e.encode(CANARY),
        u.encode(CANARY),
        e.encode(&basic),
        u.encode(&basic),
    ]
}

pub(super) fn assert_no_canary(text: &str) {
    for f in canary_forms() {
        assert!(!text.contains(&f), "secret form {f} leaked in:\n{text}");
    }
}
