//! Engagive's outbound messages (vendors.md Part 2 §5.3): `send-template`, `send-reaction` and
//! `send-single`. The sandbox validates the body, answers the documented success body with a
//! Meta-shaped `metaResponse` (`messaging_product`, `contacts`, `messages[].id`), and records
//! and sends nothing.
//!
//! `send-single`'s body is not stored anywhere public (Part 2 §5.4), so its shape is ours,
//! modelled on `send-template`: `{"to":"…","message_type":"text|image|video|audio|document|
//! location|contacts|sticker|interactive","content_json":{…}}`, where `content_json` is Meta's
//! object for that type (`{"body":"…"}` for text, `{"link":"https://…"}` or `{"id":"…"}` for
//! media, `{"latitude","longitude"}`, a list of contacts, an interactive object).
//!
//! Deterministic failures: a send to [`ENGAGIVE_FAILING_NUMBER`] is a 502 with Meta's 131026;
//! a template send whose parameter count differs from the template's placeholders is a 502 with
//! Meta's 132000 (Engagive passes `content_json` through to Meta).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use serde_json::{Map, Value, json};

use super::credentials::ENGAGIVE_FAILING_NUMBER;
use super::data;
use super::{bad, failure, success};
use crate::sandbox::data::hash;
use crate::sandbox::{Shared, util};

/// The message types of `send-single` (Part 2 §5.3).
pub(crate) const MESSAGE_TYPES: &[&str] = &[
    "text",
    "image",
    "video",
    "audio",
    "document",
    "location",
    "contacts",
    "sticker",
    "interactive",
];

/// The body as a JSON object, else 400.
fn object(body: &Bytes) -> Result<Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(bad("The request body must be a JSON object")),
        Err(_) => Err(bad("The request body is not valid JSON")),
    }
}

/// `to`: the recipient in international format, digits only (an optional leading `+`), 8–15
/// digits — the documented example is `923001234567`.
fn recipient(m: &Map<String, Value>) -> Result<String, Response> {
    let err = || {
        bad(
            "'to' must be the recipient's phone number in international format, digits only (e.g. 923001234567)",
        )
    };
    let to = m.get("to").and_then(Value::as_str).ok_or_else(err)?;
    let digits = to.strip_prefix('+').unwrap_or(to);
    if (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(to.to_string())
    } else {
        Err(err())
    }
}

fn digits(to: &str) -> &str {
    to.strip_prefix('+').unwrap_or(to)
}

/// A 502 with Meta's error object in `metaResponse` (Part 1: "502 adds metaResponse").
fn meta_error(st: &Shared, code: u32, message: &str, details: &str, body: &[u8]) -> Response {
    let trace = format!(
        "A{:016X}",
        hash(&[st.options.seed, body.len() as u64, 0xFB])
    );
    util::json(
        StatusCode::BAD_GATEWAY,
        json!({
            "success": false,
            "statusCode": 502,
            "message": "WhatsApp / Meta rejected the request",
            "metaResponse": {"error": {
                "message": format!("(#{code}) {message}"),
                "type": "OAuthException",
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": details},
                "fbtrace_id": trace,
            }},
        }),
    )
}

/// The failing recipient's 502, or `Ok`.
fn deliverable(st: &Shared, to: &str, body: &[u8]) -> Result<(), Response> {
    if digits(to) == digits(ENGAGIVE_FAILING_NUMBER) {
        return Err(meta_error(
            st,
            131026,
            "Message undeliverable",
            "Message Undeliverable.",
            body,
        ));
    }
    Ok(())
}

/// A deterministic WhatsApp message id for an accepted send.
fn wamid(st: &Shared, body: &[u8]) -> String {
    let h = body
        .iter()
        .fold(st.options.seed, |acc, b| hash(&[acc, u64::from(*b)]));
    let raw = format!("HBgM{h:016X}{:08X}", h >> 32);
    format!(
        "wamid.{}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// Meta's answer to an accepted send.
fn meta_ok(st: &Shared, to: &str, body: &[u8], template: bool) -> Value {
    let mut message = json!({"id": wamid(st, body)});
    if template {
        message["message_status"] = json!("accepted");
    }
    json!({
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": digits(to)}],
        "messages": [message],
    })
}

fn text_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The parameters of `content_json.components`, checked; returns how many there are.
fn count_parameters(components: Option<&Value>) -> Result<usize, Response> {
    let Some(components) = components else {
        return Ok(0);
    };
    let Some(list) = components.as_array() else {
        return Err(bad("'content_json.components' must be an array"));
    };
    let mut count = 0;
    for (i, c) in list.iter().enumerate() {
        let kind = text_at(c, "type").map(str::to_ascii_lowercase);
        match kind.as_deref() {
            Some("header" | "body" | "footer") => {}
            Some("button") => {
                if text_at(c, "sub_type").is_none() || c.get("index").is_none() {
                    return Err(bad(format!(
                        "'content_json.components[{i}]': a button component needs 'sub_type' and 'index'"
                    )));
                }
            }
            _ => {
                return Err(bad(format!(
                    "'content_json.components[{i}].type' must be header, body, button or footer"
                )));
            }
        }
        let Some(params) = c.get("parameters") else {
            continue;
        };
        let Some(params) = params.as_array() else {
            return Err(bad(format!(
                "'content_json.components[{i}].parameters' must be an array"
            )));
        };
        for (j, p) in params.iter().enumerate() {
            let at = format!("'content_json.components[{i}].parameters[{j}]'");
            match text_at(p, "type") {
                Some("text") if text_at(p, "text").is_some() => {}
                Some("text") => return Err(bad(format!("{at}: a text parameter needs 'text'"))),
                Some(
                    t @ ("currency" | "date_time" | "image" | "document" | "video" | "location"
                    | "payload" | "coupon_code" | "action"),
                ) => {
                    if p.get(t).is_none() {
                        return Err(bad(format!("{at}: a {t} parameter needs '{t}'")));
                    }
                }
                _ => {
                    return Err(bad(format!(
                        "{at}: 'type' must be text, currency, date_time, image, document, video, location, payload, coupon_code or action"
                    )));
                }
            }
            count += 1;
        }
    }
    Ok(count)
}

/// `POST …/messages/send-template` with `{"to","content_json":{"template_name","lang_code",
/// "components"}}` (Part 2 §5.3).
pub(crate) async fn send_template(State(st): State<Arc<Shared>>, body: Bytes) -> Response {
    let m = match object(&body) {
        Ok(m) => m,
        Err(e) => return e,
    };
    let to = match recipient(&m) {
        Ok(to) => to,
        Err(e) => return e,
    };
    let Some(content) = m.get("content_json").filter(|c| c.is_object()) else {
        return bad(
            "'content_json' must be an object with template_name, lang_code and components",
        );
    };
    let Some(name) = text_at(content, "template_name") else {
        return bad("'content_json.template_name' (the template code) is required");
    };
    let Some(lang) = text_at(content, "lang_code") else {
        return bad("'content_json.lang_code' (e.g. en_US) is required");
    };
    let given = match count_parameters(content.get("components")) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let Some(template) = data::find(&st, name) else {
        return failure(
            StatusCode::NOT_FOUND,
            format!("Template '{name}' not found"),
        );
    };
    if !template.contents.iter().any(|(_, l, _)| *l == lang) {
        let have: Vec<&str> = template.contents.iter().map(|(_, l, _)| *l).collect();
        return bad(format!(
            "Template '{name}' has no content in language '{lang}' (it has: {})",
            have.join(", ")
        ));
    }
    if template.status != "approved" {
        return bad(format!(
            "Template '{name}' is not approved (status: {}); only approved templates can be sent",
            template.status
        ));
    }
    if let Err(e) = deliverable(&st, &to, &body) {
        return e;
    }
    if given != template.params {
        return meta_error(
            &st,
            132000,
            "Number of parameters does not match the expected number of params",
            &format!(
                "body: number of localizable_params ({given}) does not match the expected number of params ({})",
                template.params
            ),
            &body,
        );
    }
    success(
        "Template message sent successfully",
        json!({"to": to, "message_type": "template"}),
        Some(("metaResponse", meta_ok(&st, &to, &body, true))),
    )
}

/// `whatsapp_message_id`: `wamid.` and an id of base64-ish characters.
fn valid_wamid(id: &str) -> bool {
    id.strip_prefix("wamid.").is_some_and(|rest| {
        rest.len() >= 4
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=_-".contains(&b))
    })
}

/// One emoji (a short run of non-ASCII scalars: skin tones, ZWJ sequences and flags count as
/// one), or the empty string, which Meta reads as removing the reaction.
fn valid_emoji(e: &str) -> bool {
    e.is_empty() || (e.chars().count() <= 10 && e.chars().all(|c| !c.is_ascii()))
}

/// `POST …/messages/send-reaction` with `{"to","whatsapp_message_id","emoji"}` (Part 2 §5.3).
pub(crate) async fn send_reaction(State(st): State<Arc<Shared>>, body: Bytes) -> Response {
    let m = match object(&body) {
        Ok(m) => m,
        Err(e) => return e,
    };
    let to = match recipient(&m) {
        Ok(to) => to,
        Err(e) => return e,
    };
    match m.get("whatsapp_message_id").and_then(Value::as_str) {
        Some(id) if valid_wamid(id) => {}
        _ => {
            return bad(
                "'whatsapp_message_id' must be the WhatsApp id of the message to react to (wamid.…)",
            );
        }
    }
    match m.get("emoji").and_then(Value::as_str) {
        Some(e) if valid_emoji(e) => {}
        _ => return bad("'emoji' must be one emoji (or \"\" to remove the reaction)"),
    }
    if let Err(e) = deliverable(&st, &to, &body) {
        return e;
    }
    success(
        "Reaction sent",
        json!({}),
        Some(("metaResponse", meta_ok(&st, &to, &body, false))),
    )
}

fn is_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.has_host())
}

/// Meta's object for `message_type`, checked.
fn check_content(kind: &str, c: &Value) -> Result<(), String> {
    let obj = |c: &Value| {
        c.as_object()
            .cloned()
            .ok_or_else(|| "must be an object".to_string())
    };
    match kind {
        "text" => {
            let body = text_at(c, "body").ok_or("needs a non-empty 'body'")?;
            if body.chars().count() > 4096 {
                return Err("'body' may be at most 4096 characters".into());
            }
            if c.get("preview_url").is_some_and(|v| !v.is_boolean()) {
                return Err("'preview_url' must be true or false".into());
            }
        }
        "image" | "video" | "audio" | "document" | "sticker" => {
            let m = obj(c)?;
            match (text_at(c, "link"), text_at(c, "id")) {
                (Some(link), None) if is_url(link) => {}
                (Some(_), None) => return Err("'link' must be an http(s) URL".into()),
                (None, Some(_)) => {}
                _ => return Err("needs exactly one of 'link' (a URL) or 'id' (a media id)".into()),
            }
            let captioned = matches!(kind, "image" | "video" | "document");
            if m.contains_key("caption") && !captioned {
                return Err(format!("a {kind} message takes no 'caption'"));
            }
            if m.contains_key("filename") && kind != "document" {
                return Err("only a document takes 'filename'".into());
            }
        }
        "location" => {
            let num = |k: &str, max: f64| {
                c.get(k)
                    .and_then(Value::as_f64)
                    .filter(|v| v.abs() <= max)
                    .ok_or_else(|| format!("needs '{k}' as a number within ±{max}"))
            };
            num("latitude", 90.0)?;
            num("longitude", 180.0)?;
        }
        "contacts" => {
            let list = c
                .as_array()
                .filter(|l| !l.is_empty())
                .ok_or("must be a non-empty array of contacts")?;
            for (i, contact) in list.iter().enumerate() {
                if contact
                    .get("name")
                    .and_then(|n| text_at(n, "formatted_name"))
                    .is_none()
                {
                    return Err(format!("contact {i} needs 'name.formatted_name'"));
                }
            }
        }
        "interactive" => check_interactive(c)?,
        other => return Err(format!("is not checked for message type '{other}'")),
    }
    Ok(())
}

fn check_interactive(c: &Value) -> Result<(), String> {
    const KINDS: &[&str] = &[
        "button",
        "list",
        "cta_url",
        "flow",
        "product",
        "product_list",
        "location_request_message",
    ];
    let kind = text_at(c, "type")
        .filter(|k| KINDS.contains(k))
        .ok_or_else(|| format!("needs 'type': one of {}", KINDS.join(", ")))?;
    let action = c
        .get("action")
        .filter(|a| a.is_object())
        .ok_or("needs an 'action' object")?;
    if kind != "product" && c.get("body").and_then(|b| text_at(b, "text")).is_none() {
        return Err("needs 'body.text'".into());
    }
    match kind {
        "button" => {
            let buttons = action
                .get("buttons")
                .and_then(Value::as_array)
                .filter(|b| (1..=3).contains(&b.len()))
                .ok_or("'action.buttons' must hold 1 to 3 buttons")?;
            for b in buttons {
                let reply = b.get("reply");
                if reply.and_then(|r| text_at(r, "id")).is_none()
                    || reply.and_then(|r| text_at(r, "title")).is_none()
                {
                    return Err("each button needs 'reply.id' and 'reply.title'".into());
                }
            }
        }
        "list"
            if text_at(action, "button").is_none()
                || action
                    .get("sections")
                    .and_then(Value::as_array)
                    .is_none_or(|s| s.is_empty()) =>
        {
            return Err("a list needs 'action.button' and non-empty 'action.sections'".into());
        }
        "cta_url" => {
            let params = action.get("parameters");
            let text = |k| params.and_then(|p| text_at(p, k));
            if text("display_text").is_none() || !text("url").is_some_and(is_url) {
                return Err("a cta_url needs 'action.parameters.display_text' and 'url'".into());
            }
        }
        _ => {}
    }
    Ok(())
}

/// `POST …/messages/send-single` with `{"to","message_type","content_json"}` (shape: module doc).
pub(crate) async fn send_single(State(st): State<Arc<Shared>>, body: Bytes) -> Response {
    let m = match object(&body) {
        Ok(m) => m,
        Err(e) => return e,
    };
    let to = match recipient(&m) {
        Ok(to) => to,
        Err(e) => return e,
    };
    let kind = match m.get("message_type").and_then(Value::as_str) {
        Some(k) if MESSAGE_TYPES.contains(&k) => k,
        Some("template") => return bad("template messages go to messages/send-template"),
        Some("reaction") => return bad("reactions go to messages/send-reaction"),
        _ => {
            return bad(format!(
                "'message_type' must be one of {}",
                MESSAGE_TYPES.join(", ")
            ));
        }
    };
    let Some(content) = m.get("content_json") else {
        return bad(format!(
            "'content_json' (the {kind} message's content) is required"
        ));
    };
    if let Err(why) = check_content(kind, content) {
        return bad(format!("'content_json' of a {kind} message {why}"));
    }
    if let Err(e) = deliverable(&st, &to, &body) {
        return e;
    }
    success(
        "Message sent successfully",
        json!({"to": to, "message_type": kind}),
        Some(("metaResponse", meta_ok(&st, &to, &body, false))),
    )
}
