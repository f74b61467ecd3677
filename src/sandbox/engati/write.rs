//! Engati's write APIs (vendors.md Part 2 §2.4–2.7): broadcast, WhatsApp template message,
//! external broadcast (multipart CSV) and API trigger v1/v2. The sandbox validates and answers
//! `status.code` 1000; it records nothing and sends nothing.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::{check_bot, failure, invalid_id, status, success};
use crate::sandbox::Shared;
use crate::sandbox::data::hash;
use crate::sandbox::util::{self, Params};

/// A WhatsApp number: an optional `+`, then 8 to 15 digits.
pub(crate) fn valid_phone(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

fn object(body: &Bytes) -> Result<Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(failure("the body must be a JSON object")),
    }
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// A deterministic id for an accepted write.
fn ack_id(st: &Shared, prefix: &str, body: &[u8]) -> String {
    let h = body
        .iter()
        .fold(st.options.seed, |acc, b| hash(&[acc, u64::from(*b)]));
    format!("{prefix}{h:016x}")
}

/// `POST /bot-api/v1.0/customer/{cid}/bot/{bot}/broadcast` (Part 2 §2.6 body).
pub(crate) async fn broadcast(
    State(st): State<Arc<Shared>>,
    Path((cid, bot)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if let Err(e) = check_bot(&cid, &bot) {
        return e;
    }
    let m = match object(&body) {
        Ok(m) => Value::Object(m),
        Err(e) => return e,
    };
    if text(&m, &["broadcastTitle"]).is_none() {
        return failure("broadcastTitle is required");
    }
    let ids = m
        .pointer("/audience/rule/channelUserIds")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty() && a.iter().all(|x| x.as_str().is_some_and(|s| !s.is_empty())));
    let Some(ids) = ids else {
        return failure("audience.rule.channelUserIds must list at least one user id");
    };
    let content = m.pointer("/payload/content").and_then(Value::as_array);
    if content.is_none_or(|c| c.is_empty()) {
        return failure("payload.content must hold at least one message");
    }
    let scheduled = match m.get("publishedOn") {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => t > chrono::Utc::now(),
            Err(_) => return failure("publishedOn must be an ISO 8601 UTC time"),
        },
        Some(_) => return failure("publishedOn must be an ISO 8601 UTC time"),
    };
    success(json!({
        "broadcastId": ack_id(&st, "bc-", &body),
        "status": if scheduled { "SCHEDULED" } else { "PUBLISHED" },
        "recipients": ids.len(),
    }))
}

/// `POST /whatsapp-api/v1.0/customer/{cid}/bot/{bot}/template` (Part 2 §2.4 body).
pub(crate) async fn template(
    State(st): State<Arc<Shared>>,
    Path((cid, bot)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if let Err(e) = check_bot(&cid, &bot) {
        return e;
    }
    let m = match object(&body) {
        Ok(m) => Value::Object(m),
        Err(e) => return e,
    };
    if text(&m, &["payload", "name"]).is_none() {
        return failure("payload.name (the template name) is required");
    }
    if text(&m, &["payload", "language", "code"]).is_none() {
        return failure("payload.language.code is required");
    }
    let Some(phone) = text(&m, &["phoneNumber"]).filter(|p| valid_phone(p)) else {
        return failure("phoneNumber must be a number with its country code");
    };
    success(json!({
        "messageId": ack_id(&st, "wamid.SANDBOX", &body),
        "phoneNumber": phone,
    }))
}

/// `POST /whatsapp-api/v1.0/customer/{cid}/bot/{bot}/external/broadcast?broadcast_id=…`
/// (Part 2 §2.5): multipart with a `target_audience` CSV whose first column is
/// `user.phone_number` (numbers with `+`), and a `template_payload`.
pub(crate) async fn external_broadcast(
    State(st): State<Arc<Shared>>,
    Path((cid, bot)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if check_bot(&cid, &bot).is_err() {
        let details = "botkey does not match any engati bot";
        return status(
            StatusCode::BAD_REQUEST,
            2003,
            "BOT_NOT_FOUND",
            Some(details),
        );
    }
    let bad_file = |details: &str| {
        status(
            StatusCode::BAD_REQUEST,
            2005,
            "INVALID_FILE_FORMAT",
            Some(details),
        )
    };
    let p = Params::parse(q.as_deref());
    let Some(id) = p.non_empty("broadcast_id") else {
        return failure("broadcast_id is required");
    };
    let content_type = util::header_str(&headers, header::CONTENT_TYPE.as_str()).unwrap_or("");
    let Some(parts) = multipart(content_type, &body) else {
        return bad_file("the body must be multipart/form-data with a target_audience CSV file");
    };
    let part = |name: &str| parts.iter().find(|(n, _)| n == name).map(|(_, d)| d);
    let Some(csv) = part("target_audience").map(|d| String::from_utf8_lossy(d)) else {
        return bad_file("target_audience (the CSV file of recipients) is missing");
    };
    let (recipients, columns) = match audience(&csv) {
        Ok(counts) => counts,
        Err(details) => return bad_file(&details),
    };
    let payload = match part("template_payload").map(|d| serde_json::from_slice::<Value>(d)) {
        Some(Ok(v @ Value::Object(_))) => v,
        _ => return failure("template_payload (a JSON object) is required"),
    };
    if text(&payload, &["name"]).is_none() || text(&payload, &["language", "code"]).is_none() {
        return failure("template_payload needs the template's name and language.code");
    }
    success(json!({
        "broadcast_id": id,
        "recipients": recipients,
        "parameters": columns - 1,
        "requestId": ack_id(&st, "ext-", &body),
    }))
}

/// Checks an audience CSV (Part 2 §2.5): the header `user.phone_number`, then
/// `user.attribute_0`, `user.attribute_1`, … in order; at least one row; every row as wide as
/// the header, its number with `+` and the country code. Gives (recipients, columns).
fn audience(csv: &str) -> Result<(usize, usize), String> {
    let csv = csv.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv.as_bytes());
    let header = reader
        .headers()
        .map_err(|_| "the CSV header is unreadable".to_string())?
        .clone();
    if header.get(0) != Some("user.phone_number") {
        return Err("the CSV's first column must be user.phone_number".into());
    }
    for (n, name) in header.iter().skip(1).enumerate() {
        if name != format!("user.attribute_{n}") {
            return Err(format!(
                "column {} of the CSV must be user.attribute_{n}",
                n + 2
            ));
        }
    }
    let mut recipients = 0;
    for row in reader.records() {
        let row = row.map_err(|_| "the CSV is malformed".to_string())?;
        let line = row.position().map_or(0, |p| p.line());
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if row.len() != header.len() {
            return Err(format!("line {line}: the row is not as wide as the header"));
        }
        let phone = row.get(0).unwrap_or("").trim();
        if !phone.starts_with('+') || !valid_phone(phone) {
            return Err(format!(
                "line {line}: phone numbers need '+' and the country code"
            ));
        }
        recipients += 1;
    }
    if recipients == 0 {
        return Err("the CSV lists no recipients".into());
    }
    Ok((recipients, header.len()))
}

/// The (name, content) of each part of a multipart/form-data body, if it is one.
fn multipart(content_type: &str, body: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let (mime, params) = content_type.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let boundary = params
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = &body[find(body, &delimiter)? + delimiter.len()..];
    while !rest.starts_with(b"--") {
        let next = find(rest, &delimiter)?;
        let part = rest[..next].strip_prefix(b"\r\n").unwrap_or(&rest[..next]);
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        let split = find(part, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&part[..split]);
        let name = head
            .split(';')
            .find_map(|p| p.trim().strip_prefix("name="))
            .map(|n| {
                n.split("\r\n")
                    .next()
                    .unwrap_or(n)
                    .trim_matches('"')
                    .to_string()
            })?;
        parts.push((name, part[split + 4..].to_vec()));
        rest = &rest[next + delimiter.len()..];
    }
    Some(parts)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A flow key is 32 hexadecimal characters (Part 2 §2.1).
fn check_flow(flow: &str) -> Result<(), Response> {
    if flow.len() == 32 && flow.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(invalid_id())
    }
}

/// `POST /bot-api/v1.0/customer/{cid}/bot/{bot}/flow/{flow}?user.phone_no=…` (Part 2 §2.7:
/// inputs as query parameters).
pub(crate) async fn trigger_v1(
    Path((cid, bot, flow)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    if let Err(e) = check_bot(&cid, &bot).and_then(|_| check_flow(&flow)) {
        return e;
    }
    let p = Params::parse(q.as_deref());
    match p.non_empty("user.phone_no") {
        Some(phone) if valid_phone(phone) => success(json!({})),
        _ => failure("user.phone_no (with the country code) is required"),
    }
}

/// `POST /bot-api/v2.0/customer/{cid}/bot/{bot}/flow/{flow}` with a JSON body (Part 2 §2.7).
pub(crate) async fn trigger_v2(
    Path((cid, bot, flow)): Path<(String, String, String)>,
    body: Bytes,
) -> Response {
    if let Err(e) = check_bot(&cid, &bot).and_then(|_| check_flow(&flow)) {
        return e;
    }
    let m = match object(&body) {
        Ok(m) => m,
        Err(e) => return e,
    };
    match m.get("user.channel").map(Value::as_str) {
        None | Some(Some("whatsapp" | "rcs")) => {}
        Some(_) => return failure("user.channel must be whatsapp or rcs"),
    }
    match m.get("user.phone_no").and_then(Value::as_str) {
        Some(phone) if valid_phone(phone) => success(json!({})),
        _ => failure("user.phone_no (with the country code) is required"),
    }
}
