//! Engagive's outbound messages (vendors.md Part 2 §5.3): `messages/send-template`,
//! `messages/send-reaction` and `messages/send-single`, built without I/O for `--dry-run` and
//! the confirmation prompt, then sent once ([`crate::http::Safety::Write`]).
//!
//! `send-single`'s body is not documented publicly (Part 2 §5.4); wa-analytics sends
//! `{"to","message_type","content_json"}`, modelled on `send-template`'s documented
//! `content_json` (the same shape the sandbox implements). `messages send --json FILE` takes
//! either that shape (`{"message_type":"image","content_json":{…}}`) or a Meta Cloud API message
//! object (`{"type":"image","image":{…}}`), which is converted to it.

use serde_json::{Map, Value as Json, json};

use crate::http::ApiRequest;
use crate::provider::{
    ErrorKind, MessageBody, Operation, PreparedWrite, ProviderError, TemplateMessage, WriteCommand,
    WriteReceipt,
};

use super::VENDOR;

/// The message types `send-single` takes (Part 2 §5.3).
const MESSAGE_TYPES: &[&str] = &[
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

fn invalid(message: impl Into<String>, hint: &str) -> ProviderError {
    ProviderError::new(ErrorKind::InvalidRequest, VENDOR, message).with_hint(hint)
}

/// The path (under the account) and JSON body of a write, and its one-line summary; `None` for a
/// command Engagive has no API for.
pub(super) fn build(
    command: &WriteCommand,
) -> Option<Result<(&'static str, Json, String), ProviderError>> {
    Some(match command {
        WriteCommand::SendTemplate(m) => template(m),
        WriteCommand::SendReaction {
            to,
            message_id,
            emoji,
        } => reaction(to, message_id, emoji),
        WriteCommand::SendMessage { to, body } => single(to, body),
        _ => return None,
    })
}

/// `{"to","content_json":{"template_name","lang_code","components":[{"type":"BODY",
/// "parameters":[{"type":"text","text":…}]}]}}` — the documented example's shape; without
/// parameters `components` is left out.
fn template(m: &TemplateMessage) -> Result<(&'static str, Json, String), ProviderError> {
    if m.template.trim().is_empty() || m.lang.trim().is_empty() {
        return Err(invalid(
            "the template code and the language must not be empty",
            "see the codes with 'wa-analytics templates list' and the languages with 'wa-analytics templates contents CODE'",
        ));
    }
    let mut content = json!({"template_name": m.template, "lang_code": m.lang});
    if !m.params.is_empty() {
        let parameters: Vec<Json> = m
            .params
            .iter()
            .map(|p| json!({"type": "text", "text": p}))
            .collect();
        content["components"] = json!([{"type": "BODY", "parameters": parameters}]);
    }
    let summary = format!(
        "send template '{}' ({}) with {} parameter(s) to {}",
        m.template,
        m.lang,
        m.params.len(),
        m.to
    );
    Ok((
        "send-template",
        json!({"to": m.to, "content_json": content}),
        summary,
    ))
}

/// `{"to","whatsapp_message_id","emoji"}` (documented); an empty emoji removes a reaction.
fn reaction(
    to: &str,
    message_id: &str,
    emoji: &str,
) -> Result<(&'static str, Json, String), ProviderError> {
    if message_id.trim().is_empty() {
        return Err(invalid(
            "the message id is empty",
            "pass the WhatsApp id of the message to react to (wamid.…)",
        ));
    }
    let summary = if emoji.is_empty() {
        format!("remove the reaction to message {message_id} of {to}")
    } else {
        format!("react {emoji} to message {message_id} of {to}")
    };
    Ok((
        "send-reaction",
        json!({"to": to, "whatsapp_message_id": message_id, "emoji": emoji}),
        summary,
    ))
}

const JSON_HINT: &str = "write {\"message_type\":\"image\",\"content_json\":{\"link\":\"https://…\"}}, or Meta's {\"type\":\"image\",\"image\":{\"link\":\"https://…\"}}";

/// `{"to","message_type","content_json"}` from `--text` or a JSON file (module doc).
fn single(to: &str, body: &MessageBody) -> Result<(&'static str, Json, String), ProviderError> {
    let (kind, content) = match body {
        MessageBody::Text(text) if text.is_empty() => {
            return Err(invalid(
                "the text is empty",
                "pass the message with --text TEXT",
            ));
        }
        MessageBody::Text(text) => ("text".to_string(), json!({"body": text})),
        MessageBody::Json(value) => from_file(to, value)?,
    };
    if !MESSAGE_TYPES.contains(&kind.as_str()) {
        return Err(invalid(
            format!(
                "Engagive cannot send a '{kind}' message; its types are {}",
                MESSAGE_TYPES.join(", ")
            ),
            "template messages go through 'messages send-template', reactions through 'messages send-reaction'",
        ));
    }
    let summary = format!("send a {kind} message to {to}");
    Ok((
        "send-single",
        json!({"to": to, "message_type": kind, "content_json": content}),
        summary,
    ))
}

/// The message type and content of a `--json` file, in Engagive's or Meta's shape.
fn from_file(to: &str, value: &Json) -> Result<(String, Json), ProviderError> {
    let empty = Map::new();
    let obj = value.as_object().unwrap_or(&empty);
    if let Some(given) = obj.get("to")
        && given.as_str() != Some(to)
    {
        return Err(invalid(
            format!("the message file says \"to\": {given}, but --to is {to}"),
            "remove \"to\" from the file (the recipient is --to), or make them the same",
        ));
    }
    let text = |key: &str| {
        obj.get(key)
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
    };
    if let Some(kind) = text("message_type") {
        let content = obj.get("content_json").ok_or_else(|| {
            invalid(
                format!(
                    "the message file has \"message_type\": \"{kind}\" but no \"content_json\""
                ),
                JSON_HINT,
            )
        })?;
        return Ok((kind.to_string(), content.clone()));
    }
    if let Some(kind) = text("type") {
        let content = obj.get(kind).ok_or_else(|| {
            invalid(
                format!("the message file has \"type\": \"{kind}\" but no \"{kind}\" object"),
                JSON_HINT,
            )
        })?;
        return Ok((kind.to_string(), content.clone()));
    }
    Err(invalid(
        "the message file names no message type (\"message_type\" or \"type\")",
        JSON_HINT,
    ))
}

/// The prepared write for `command`, or `None` when Engagive has no API for it.
pub(super) fn prepare(
    account_path: &str,
    command: &WriteCommand,
    url: impl Fn(&ApiRequest) -> String,
) -> Option<Result<PreparedWrite, ProviderError>> {
    let built = build(command)?;
    Some(built.map(|(endpoint, body, summary)| {
        let request =
            ApiRequest::post(format!("{account_path}/messages/{endpoint}")).json_body(&body);
        PreparedWrite {
            operation: command.operation(),
            summary: format!("Engagive: {summary}"),
            url: url(&request),
            request,
            credential_headers: vec![reqwest::header::AUTHORIZATION],
        }
    }))
}

/// The receipt of an accepted send: Engagive's message, the WhatsApp message id from Meta's
/// answer (`metaResponse.messages[0].id`), and the whole answer (scrubbed of secrets by the
/// command that prints it, as every vendor's receipt is).
pub(super) fn receipt(operation: Operation, message: Option<String>, body: Json) -> WriteReceipt {
    let id = body
        .pointer("/metaResponse/messages/0/id")
        .and_then(Json::as_str)
        .map(String::from);
    WriteReceipt {
        operation,
        message,
        id,
        response: body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(command: WriteCommand) -> Json {
        build(&command).unwrap().unwrap().1
    }

    #[test]
    fn template_bodies_follow_the_documented_example() {
        let m = |params: Vec<&str>| {
            WriteCommand::SendTemplate(TemplateMessage {
                to: "923001234567".into(),
                template: "hello_world".into(),
                lang: "en_US".into(),
                params: params.into_iter().map(String::from).collect(),
            })
        };
        assert_eq!(
            body_of(m(vec!["Hello"])),
            json!({"to":"923001234567","content_json":{"template_name":"hello_world","lang_code":"en_US",
                   "components":[{"type":"BODY","parameters":[{"type":"text","text":"Hello"}]}]}})
        );
        assert_eq!(
            body_of(m(vec![])),
            json!({"to":"923001234567","content_json":{"template_name":"hello_world","lang_code":"en_US"}})
        );
    }

    #[test]
    fn json_files_in_meta_or_engagive_shape_become_the_same_body() {
        let send = |v: Json| {
            build(&WriteCommand::SendMessage {
                to: "+573001234567".into(),
                body: MessageBody::Json(v),
            })
            .unwrap()
        };
        let want = json!({"to":"+573001234567","message_type":"image","content_json":{"link":"https://e.com/a.png"}});
        let meta = json!({"messaging_product":"whatsapp","type":"image","image":{"link":"https://e.com/a.png"}});
        let ours = json!({"message_type":"image","content_json":{"link":"https://e.com/a.png"}});
        assert_eq!(send(meta).unwrap().1, want);
        assert_eq!(send(ours).unwrap().1, want);
        let same_to =
            json!({"to":"+573001234567","type":"image","image":{"link":"https://e.com/a.png"}});
        assert_eq!(send(same_to).unwrap().1, want);
        for (bad, needle) in [
            (
                json!({"to": "+1555", "type": "text", "text": {"body": "x"}}),
                "but --to is",
            ),
            (json!({"type": "image"}), "no \"image\" object"),
            (json!({"message_type": "image"}), "no \"content_json\""),
            (json!({"body": "x"}), "names no message type"),
            (
                json!({"type": "template", "template": {}}),
                "cannot send a 'template'",
            ),
        ] {
            let e = send(bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidRequest);
            assert!(e.message.contains(needle), "{needle}: {}", e.message);
        }
    }

    #[test]
    fn engati_writes_have_no_engagive_api() {
        let trigger = WriteCommand::Trigger(crate::provider::FlowTrigger {
            flow_key: "0".repeat(32),
            v2: true,
            phone: "573001234567".into(),
            attributes: Vec::new(),
        });
        assert!(build(&trigger).is_none());
    }
}
