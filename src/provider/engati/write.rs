//! Engati's write APIs (vendors.md Part 2 §2.4–2.7): the single-user WhatsApp template message,
//! the broadcast wrapper API, the external broadcast (multipart CSV) and API Trigger v1/v2.
//! Requests are built without any I/O but reading the audience file, and sent exactly once.

use chrono::{SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use crate::http::ApiRequest;
use crate::provider::{
    BroadcastRequest, ErrorKind, ExternalBroadcast, FlowTrigger, Operation, PreparedWrite,
    ProviderError, TemplateMessage, WriteCommand, WriteReceipt,
};

use super::client::{Endpoint, EngatiClient};
use super::{VENDOR, audience};

/// The channel of the template message, the broadcast audience and API Trigger v2 (Engati's
/// write APIs here are WhatsApp's; Part 2 §2.6–2.7).
const CHANNEL: &str = "whatsapp";

/// Builds the request of a write (Part 2 shapes), or refuses it before anything is sent.
pub(super) fn prepare(
    client: &EngatiClient,
    command: &WriteCommand,
) -> Result<PreparedWrite, ProviderError> {
    let (request, summary) = match command {
        WriteCommand::SendTemplate(t) => template(client, t),
        WriteCommand::Broadcast(b) => broadcast(client, b)?,
        WriteCommand::BroadcastExternal(e) => external(client, e)?,
        WriteCommand::Trigger(t) => trigger(client, t)?,
        other => {
            return Err(crate::provider::unsupported(
                crate::vendor::Vendor::Engati,
                other.operation(),
            ));
        }
    };
    Ok(PreparedWrite {
        operation: command.operation(),
        summary,
        url: client.url(&request),
        request,
        credential_headers: client.credential_headers(),
    })
}

/// Sends a prepared write once and reads Engati's receipt.
pub(super) async fn submit(
    client: &EngatiClient,
    write: PreparedWrite,
) -> Result<WriteReceipt, ProviderError> {
    let endpoint = match write.operation {
        Operation::SendTemplate => Endpoint::Template,
        Operation::Broadcast => Endpoint::Broadcast,
        Operation::BroadcastExternal => Endpoint::ExternalBroadcast,
        Operation::Trigger => Endpoint::Trigger,
        other => {
            return Err(crate::provider::unsupported(
                crate::vendor::Vendor::Engati,
                other,
            ));
        }
    };
    let answer = client.send(write.request, endpoint).await?;
    let body = answer.body;
    let message = body
        .pointer("/status/desc")
        .or_else(|| body.pointer("/status/message"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let response = match body.get("responseObject") {
        Some(object) => object.clone(),
        None => body.clone(),
    };
    // Engati documents no receipt fields; these are the ids its answers are known to carry.
    let id = [
        "broadcastId",
        "messageId",
        "requestId",
        "broadcast_id",
        "id",
    ]
    .iter()
    .find_map(|k| match response.get(k) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    });
    // Secrets echoed back are scrubbed by the command that prints the receipt.
    Ok(WriteReceipt {
        operation: write.operation,
        message,
        id,
        response,
    })
}

fn usage(message: String, hint: &str) -> ProviderError {
    ProviderError::new(ErrorKind::InvalidRequest, VENDOR, message).with_hint(hint)
}

/// `{"name","language":{"code","policy"}}`: the template as Meta's send API names it.
fn template_object(name: &str, lang: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("name".into(), json!(name));
    m.insert(
        "language".into(),
        json!({"code": lang, "policy": "deterministic"}),
    );
    m
}

/// `POST /whatsapp-api/v1.0/customer/{cid}/bot/{bot}/template` (Part 2 §2.4); body
/// parameters fill `{{1}}`, `{{2}}`, … in order.
fn template(client: &EngatiClient, t: &TemplateMessage) -> (ApiRequest, String) {
    let mut payload = template_object(&t.template, &t.lang);
    if !t.params.is_empty() {
        let parameters: Vec<Value> = t
            .params
            .iter()
            .map(|p| json!({"type": "text", "text": p}))
            .collect();
        payload.insert(
            "components".into(),
            json!([{"type": "body", "parameters": parameters}]),
        );
    }
    let body = json!({"payload": payload, "phoneNumber": t.to});
    let req = ApiRequest::post(format!("{}/template", client.whatsapp_path())).json_body(&body);
    let summary = format!(
        "Engati: send WhatsApp template '{}' ({}) with {} parameter(s) to {}",
        t.template,
        t.lang,
        t.params.len(),
        t.to
    );
    (req, summary)
}

/// `POST /bot-api/v1.0/customer/{cid}/bot/{bot}/broadcast` (Part 2 §2.6). "Broadcast will be
/// published based on the time mentioned in UTC, Immediate broadcasts will be sent for expired
/// time": an immediate broadcast is stamped with the current time.
fn broadcast(
    client: &EngatiClient,
    b: &BroadcastRequest,
) -> Result<(ApiRequest, String), ProviderError> {
    if b.users.is_empty() {
        return Err(usage(
            "a broadcast needs at least one user".into(),
            "list channel user ids with --users ID,ID,…",
        ));
    }
    let published = b.at.unwrap_or_else(Utc::now);
    let body = json!({
        "broadcastId": null,
        "broadcastTitle": b.title,
        "publishedOn": published.to_rfc3339_opts(SecondsFormat::Millis, true),
        "audience": {"rule": {"channels": [CHANNEL], "channelUserIds": b.users}},
        "payload": {"type": "direct", "content": [{"type": "text", "data": {"message": b.text}}]},
        "status": null,
    });
    let req = ApiRequest::post(format!("{}/broadcast", client.bot_path("v1.0"))).json_body(&body);
    let when = match b.at {
        Some(t) => format!("at {}", t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        None => "now".to_string(),
    };
    let summary = format!(
        "Engati: broadcast '{}' to {} user(s) {when}",
        b.title,
        b.users.len()
    );
    Ok((req, summary))
}

/// `POST /whatsapp-api/v1.0/customer/{cid}/bot/{bot}/external/broadcast?broadcast_id=…`
/// (Part 2 §2.5), multipart: the checked audience file and the template.
fn external(
    client: &EngatiClient,
    e: &ExternalBroadcast,
) -> Result<(ApiRequest, String), ProviderError> {
    if e.name.trim().is_empty() {
        return Err(usage(
            "the broadcast name is empty".into(),
            "name it with --name NAME (Engati lists it under Broadcast > Published)",
        ));
    }
    let audience = audience::read(&e.audience)?;
    let payload = Value::Object(template_object(&e.template, &e.lang)).to_string();
    let (content_type, body) = audience::multipart(&audience, &payload);
    let req = ApiRequest::post(format!("{}/external/broadcast", client.whatsapp_path()))
        .query("broadcast_id", e.name.clone())
        .body(content_type, body);
    let summary = format!(
        "Engati: external broadcast '{}' of WhatsApp template '{}' ({}) to {} recipient(s) of {} ({} parameter(s) each)",
        e.name,
        e.template,
        e.lang,
        audience.recipients,
        e.audience.display(),
        audience.parameters
    );
    Ok((req, summary))
}

/// A flow key: 32 hexadecimal characters (Part 2 §2.1).
fn check_flow_key(key: &str) -> Result<(), ProviderError> {
    if key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(usage(
            format!("'{key}' is not a flow key (32 hexadecimal characters)"),
            "copy the flow key from the path info (i) icon in Engati's flow builder",
        ))
    }
}

/// API Trigger (Part 2 §2.7): v1 `POST /bot-api/v1.0/…/flow/{flow}` with the user's inputs as
/// query parameters; v2 `POST /bot-api/v2.0/…/flow/{flow}` with them in a JSON body, plus
/// `user.channel`.
fn trigger(client: &EngatiClient, t: &FlowTrigger) -> Result<(ApiRequest, String), ProviderError> {
    check_flow_key(&t.flow_key)?;
    let version = if t.v2 { "v2.0" } else { "v1.0" };
    let path = format!(
        "{}/flow/{}",
        client.bot_path(version),
        crate::http::encode::segment(&t.flow_key)
    );
    let req = if t.v2 {
        let mut body = Map::new();
        body.insert("user.channel".into(), json!(CHANNEL));
        body.insert("user.phone_no".into(), json!(t.phone));
        for (name, value) in &t.attributes {
            body.insert(name.clone(), json!(value));
        }
        ApiRequest::post(path).json_body(&Value::Object(body))
    } else {
        t.attributes.iter().fold(
            ApiRequest::post(path).query("user.phone_no", t.phone.clone()),
            |req, (name, value)| req.query_named(name.clone(), value.clone()),
        )
    };
    let summary = format!(
        "Engati: trigger flow {} (API Trigger {}) for {} with {} attribute(s)",
        t.flow_key,
        if t.v2 { "v2" } else { "v1" },
        t.phone,
        t.attributes.len()
    );
    Ok((req, summary))
}
