//! Engati (vendors.md Part 1 "Engati", Part 2 §2): the users and conversations reads, with the
//! raw-key `Authorization: Basic <key>`, bodies `{"status":{"code":1000,"desc":"SUCCESS"},
//! "responseObject":{…}}`, and 1002/1003/1004 errors; the write APIs are in `write.rs`.
//!
//! Users are generated one per contact slot (`rows` of them); user `u` has the WhatsApp id
//! `57` + (3,000,000,000 + u), with a `+` for every seventh, so an id maps back to its user.

pub(crate) mod credentials;
#[cfg(test)]
mod tests;
mod write;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::{Value, json};

use self::credentials::{ENGATI_API_KEY, ENGATI_BOT_KEY, ENGATI_CUSTOMER_ID};
use crate::sandbox::data::{Draw, Salt, index_window};
use crate::sandbox::fault::Injected;
use crate::sandbox::util::{self, Params, fmt_sql};
use crate::sandbox::{Shared, VendorSandbox, text};
use crate::vendor::Vendor;

/// Engati's sandbox, as the shared plumbing sees it.
pub(crate) static SANDBOX: VendorSandbox = VendorSandbox {
    vendor: Vendor::Engati,
    // 2: the data stays what it was when salts were positions in the vendor list.
    salt: Salt(2),
    routes: router,
    outer: None,
    fault_body,
    posts_are_writes: true,
    credentials: credentials::CREDENTIALS,
    profile_keys: super::no_profile_keys,
};

/// Default and largest `page_size` (Part 1: larger is silently served as 500).
const MAX_PAGE_SIZE: u64 = 500;

/// Engati's envelope for an injected error: `{"status":{"code","desc","details"}}`.
fn fault_body(f: &Injected) -> Value {
    json!({"status": {"code": f.code(), "desc": f.name, "details": f.message}})
}

/// The Engati routes, authenticated.
pub(crate) fn router(st: Arc<Shared>) -> Router {
    let bot = "/bot-api/v1.0/customer/{cid}/bot/{bot}";
    let wa = "/whatsapp-api/v1.0/customer/{cid}/bot/{bot}";
    Router::new()
        .route(&format!("{bot}/users"), get(users))
        .route(
            &format!("{bot}/channel-user/{{user}}/conversations"),
            get(conversations),
        )
        .route(&format!("{bot}/broadcast"), post(write::broadcast))
        .route(&format!("{bot}/flow/{{flow}}"), post(write::trigger_v1))
        .route(
            "/bot-api/v2.0/customer/{cid}/bot/{bot}/flow/{flow}",
            post(write::trigger_v2),
        )
        .route(&format!("{wa}/template"), post(write::template))
        .route(
            &format!("{wa}/external/broadcast"),
            post(write::external_broadcast),
        )
        .fallback(|| async { status(StatusCode::NOT_FOUND, 404, "NOT_FOUND", None) })
        .layer(middleware::from_fn(auth))
        .with_state(st)
}

/// An Engati status body (Part 1): `{"status":{"code","desc"[,"details"]}}`.
pub(crate) fn status(http: StatusCode, code: u16, desc: &str, details: Option<&str>) -> Response {
    let mut s = json!({"code": code, "desc": desc});
    if let Some(d) = details {
        s["details"] = json!(d);
    }
    util::json(http, json!({ "status": s }))
}

/// Success with a `responseObject` (Part 1).
pub(crate) fn success(object: Value) -> Response {
    util::json(
        StatusCode::OK,
        json!({"status": {"code": 1000, "desc": "SUCCESS"}, "responseObject": object}),
    )
}

/// 400 1002: unknown customer, bot or user (Part 2 §2.3).
pub(crate) fn invalid_id() -> Response {
    let details = "The bot id/customer id/user id provided is invalid";
    status(
        StatusCode::BAD_REQUEST,
        1002,
        "INVALID_BOT_OR_CUSTOMER_ID",
        Some(details),
    )
}

/// 400 2000: a request the API cannot act on (Part 2 §2.5 "FAILURE").
pub(crate) fn failure(details: &str) -> Response {
    status(StatusCode::BAD_REQUEST, 2000, "FAILURE", Some(details))
}

fn invalid_date() -> Response {
    let details = "The start_date and end_date values are the time in milliseconds and the end_date should be greater than start_date.";
    status(
        StatusCode::BAD_REQUEST,
        1003,
        "INVALID_INPUT_DATE_VALUE",
        Some(details),
    )
}

fn invalid_page(details: &str) -> Response {
    status(
        StatusCode::BAD_REQUEST,
        1004,
        "INVALID_PAGE_NUMBER",
        Some(details),
    )
}

/// The raw key after `Basic`, else 401 (Part 2 §2.1: not base64 of user:pass).
async fn auth(req: Request, next: Next) -> Response {
    if util::auth_token(req.headers(), "Basic") == Some(ENGATI_API_KEY) {
        next.run(req).await
    } else {
        status(StatusCode::UNAUTHORIZED, 401, "UNAUTHORIZED", None)
    }
}

/// The customer id and bot key of the path must be the sandbox's.
pub(crate) fn check_bot(cid: &str, bot: &str) -> Result<(), Response> {
    if cid == ENGATI_CUSTOMER_ID && bot == ENGATI_BOT_KEY {
        Ok(())
    } else {
        Err(invalid_id())
    }
}

/// The WhatsApp id of user `u`.
fn channel_user_id(u: u64) -> String {
    let plus = if u % 7 == 3 { "+" } else { "" };
    format!("{plus}57{}", 3_000_000_000 + u)
}

/// The user of a WhatsApp id, if it is exactly one of ours.
fn user_of(st: &Shared, id: &str) -> Option<u64> {
    let n: u64 = id
        .trim_start_matches('+')
        .strip_prefix("57")?
        .parse()
        .ok()?;
    let u = n.checked_sub(3_000_000_000)?;
    (u < st.data.rows && channel_user_id(u) == id).then_some(u)
}

/// When user `u` was created: users are spread evenly over the span.
fn created_ms(st: &Shared, u: u64) -> i64 {
    let step = ((st.data.end_ms - st.data.start_ms) / st.data.rows.max(1) as i64).max(1);
    st.data.start_ms + u as i64 * step
}

/// The attributes of user `u`, in a fixed order.
fn attributes(st: &Shared, u: u64) -> Vec<(&'static str, String)> {
    let mut d = Draw::new(st.data.key(SANDBOX.salt, &[0xA77, u]));
    vec![
        ("feedback", (1 + d.below(5)).to_string()),
        ("city", text::city(&mut d).to_string()),
        ("plan", d.pick(&["gold", "silver", "bronze"]).to_string()),
        ("opt_in", d.percent(80).to_string()),
        (
            "last_campaign",
            d.pick(&crate::sandbox::data::CAMPAIGNS.map(|c| c.name))
                .to_string(),
        ),
    ]
}

async fn users(
    State(st): State<Arc<Shared>>,
    Path((cid, bot)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    if let Err(e) = check_bot(&cid, &bot) {
        return e;
    }
    let p = Params::parse(q.as_deref());
    let (Some(name), Some(value)) = (p.non_empty("attribute_name"), p.get("attribute_value"))
    else {
        return failure("attribute_name and attribute_value are required");
    };
    // Every user is tested, but only matches are built in full.
    let users: Vec<Value> = (0..st.data.rows)
        .filter_map(|u| {
            let attrs = attributes(&st, u);
            attrs.iter().any(|(k, v)| *k == name && v == value).then(|| {
                let mut d = Draw::new(st.data.key(SANDBOX.salt, &[0x05E7, u]));
                let map: serde_json::Map<String, Value> =
                    attrs.into_iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
                json!({
                    "user_id": format!("{:024x}", (u128::from(d.next()) << 32) | u128::from(u as u32)),
                    "channel": "whatsapp",
                    "channel_user_id": channel_user_id(u),
                    "name": text::person_name(&mut d),
                    "created_at": fmt_sql(created_ms(&st, u)),
                    "attributes": map,
                })
            })
        })
        .collect();
    success(json!({ "users": users }))
}

/// How many messages user `u` has: most a few dozen, every hundredth over a thousand (so that
/// paging at the 500 cap matters).
fn message_count(st: &Shared, u: u64) -> u64 {
    let h = st.data.key(SANDBOX.salt, &[0x3E55, u]);
    if u % 100 == 0 { 1000 + h % 600 } else { h % 40 }
}

/// A conversation message (Part 1 field names).
#[derive(Serialize)]
struct Message {
    message_id: String,
    sender: &'static str,
    message: String,
    timestamp: String,
}

/// A number parameter: absent → `None`; anything but a non-negative integer → `Err`.
fn opt_num(p: &Params, name: &str) -> Result<Option<i64>, ()> {
    match p.get(name) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or(()),
    }
}

async fn conversations(
    State(st): State<Arc<Shared>>,
    Path((cid, bot, user)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    if let Err(e) = check_bot(&cid, &bot) {
        return e;
    }
    let Some(u) = user_of(&st, &user) else {
        return invalid_id();
    };
    let p = Params::parse(q.as_deref());
    let page_error = "Please enter the correct page number. The page number in the API is a positive integer value starting with 1.";
    let page = match opt_num(&p, "page_number") {
        Ok(None) => 1,
        Ok(Some(n)) if n >= 1 => n as u64,
        _ => return invalid_page(page_error),
    };
    let size = match opt_num(&p, "page_size") {
        Ok(None) => MAX_PAGE_SIZE,
        Ok(Some(n)) if n >= 1 => (n as u64).min(MAX_PAGE_SIZE),
        _ => return invalid_page("page_size must be a positive integer"),
    };
    let (Ok(start), Ok(end)) = (opt_num(&p, "start_date"), opt_num(&p, "end_date")) else {
        return invalid_date();
    };
    if let (Some(s), Some(e)) = (start, end)
        && e <= s
    {
        return invalid_date();
    }
    // Blank start: everything; blank end: now (Part 2 §2.3). Both bounds are inclusive.
    let (from, to) = (
        start.unwrap_or(0),
        end.unwrap_or_else(|| chrono::Utc::now().timestamp_millis()),
    );
    let first = created_ms(&st, u);
    let count = message_count(&st, u);
    let step = ((st.data.end_ms - first) / count.max(1) as i64).max(1);
    let w = index_window(first, step, count, from, to);
    let skip = (page - 1).saturating_mul(size);
    let k0 = w.start.saturating_add(skip).min(w.end);
    let list: Vec<Message> = (k0..w.end.min(k0 + size))
        .map(|k| {
            let mut d = Draw::new(st.data.key(SANDBOX.salt, &[0x3E55, u, k]));
            let sender = match d.below(10) {
                0..5 => "bot",
                5..9 => "user",
                _ => "agent",
            };
            let ts = first + k as i64 * step;
            Message {
                message_id: format!("{:016x}{:08x}", d.next(), k),
                sender,
                message: text::chat_line(&mut d, sender),
                timestamp: util::utc(ts)
                    .format("%Y-%m-%d %H:%M:%S%.3f+0000")
                    .to_string(),
            }
        })
        .collect();
    success(json!({"page_number": page, "page_size": size, "conversations": list}))
}
