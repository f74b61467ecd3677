//! Engati writes end to end: the template message, broadcast, external broadcast and API
//! Trigger, each pinned exactly (method, path, query, raw key, JSON body or multipart parts),
//! sent exactly once whatever the answer, and never sent by `--dry-run` or without `--yes`.
//! `template`: `messages send-template`, its receipt, a failed answer and `--dry-run`;
//! `broadcast`: now, at a local time, `--dry-run` and refusals; `external`: the audience CSV and
//! the template as multipart; `trigger`: API Trigger v1 and v2 and its refusals; `safety`: what
//! holds for every write (sent at most once, never without `--yes`, refused by other vendors, the
//! key never shown).

mod broadcast;
mod external;
mod safety;
mod template;
mod trigger;

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use super::KEY;
use crate::support::Home;

pub(super) const WA_PATH: &str = "/whatsapp-api/v1.0/customer/10294/bot/1a1c9bfa5e0f41ed";
pub(super) const FLOW: &str = "0123456789ABCDEF0123456789ABCDEF";

pub(super) fn engati_post(p: &str) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path(p))
        .and(header("authorization", format!("Basic {KEY}").as_str()))
}

pub(super) fn ok(object: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(
        json!({"status": {"code": 1000, "desc": "SUCCESS"}, "responseObject": object}),
    )
}

pub(super) fn template_body() -> Value {
    json!({
        "payload": {
            "name": "order_shipped",
            "language": {"code": "en_US", "policy": "deterministic"},
            "components": [{"type": "body", "parameters": [
                {"type": "text", "text": "Ana María"}, {"type": "text", "text": "=42"}
            ]}]
        },
        "phoneNumber": "+573001234567"
    })
}

pub(super) const TEMPLATE_ARGS: [&str; 10] = [
    "messages",
    "send-template",
    "--to",
    "+573001234567",
    "--template",
    "order_shipped",
    "--lang",
    "en_US",
    "--param",
    "Ana María",
];

pub(super) fn template_cmd(home: &Home) -> assert_cmd::Command {
    let mut cmd = home.cmd();
    cmd.args(TEMPLATE_ARGS).args(["--param", "=42"]);
    cmd
}
