//! Write commands (product.md, "Write commands"): what a user asks a vendor to do, the request
//! that would do it, and what the vendor answered.
//!
//! A write is two steps so that `--dry-run` and the confirmation prompt see exactly what would be
//! sent: [`WriteApi::prepare_write`] builds a [`PreparedWrite`] without any I/O (no request, not
//! even a read to validate), and [`WriteApi::submit_write`] sends it once.
//! Writes are [`Safety::Write`](crate::http::Safety::Write): never retried once they may have
//! reached the vendor.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use reqwest::header::HeaderName;

use async_trait::async_trait;

use super::{Operation, ProviderError, Record};
use crate::http::ApiRequest;
use crate::output::{FieldDef, FieldKind, Value};

/// A vendor's write API (the [`super::AnalyticsProvider::writes`] facet): it serves the writes
/// its vendor declares and refuses the others, naming what it does serve.
#[async_trait]
pub trait WriteApi: Send + Sync {
    /// Builds the request a write command would send, without any I/O.
    fn prepare_write(&self, command: &WriteCommand) -> Result<PreparedWrite, ProviderError>;

    /// Sends a prepared write exactly once (credentials added here; never retried once it may
    /// have reached the vendor).
    async fn submit_write(&self, write: PreparedWrite) -> Result<WriteReceipt, ProviderError>;
}

/// A write a user asked for, in vendor-neutral terms; each vendor turns it into its own request.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteCommand {
    /// `messages send-template`: one approved template message to one number.
    SendTemplate(TemplateMessage),
    /// `messages send-reaction`: an emoji reaction to a message the recipient sent.
    SendReaction {
        /// The recipient's phone number, as given.
        to: String,
        /// The WhatsApp message id (`wamid.…`) reacted to.
        message_id: String,
        /// The emoji.
        emoji: String,
    },
    /// `messages send`: one free-form message (within the 24-hour window).
    SendMessage {
        /// The recipient's phone number, as given.
        to: String,
        /// What to send.
        body: MessageBody,
    },
    /// `broadcast`: Engati's broadcast wrapper API.
    Broadcast(BroadcastRequest),
    /// `broadcast external`: Engati's external broadcast with a CSV audience.
    BroadcastExternal(ExternalBroadcast),
    /// `trigger`: Engati's API trigger of a bot flow for one user.
    Trigger(FlowTrigger),
}

impl WriteCommand {
    /// The command this is, for capability checks and messages.
    pub fn operation(&self) -> Operation {
        match self {
            WriteCommand::SendTemplate(_) => Operation::SendTemplate,
            WriteCommand::SendReaction { .. } => Operation::SendReaction,
            WriteCommand::SendMessage { .. } => Operation::SendMessage,
            WriteCommand::Broadcast(_) => Operation::Broadcast,
            WriteCommand::BroadcastExternal(_) => Operation::BroadcastExternal,
            WriteCommand::Trigger(_) => Operation::Trigger,
        }
    }
}

/// A template message to one recipient.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateMessage {
    /// The recipient's phone number, as given (digits, optionally with `+`).
    pub to: String,
    /// The template's name or code.
    pub template: String,
    /// The template language (`en_US`).
    pub lang: String,
    /// Body parameters `{{1}}`, `{{2}}`, … in order.
    pub params: Vec<String>,
}

/// The content of a free-form message.
#[derive(Debug, Clone, PartialEq)]
pub enum MessageBody {
    /// A text message.
    Text(String),
    /// A message object in the vendor's own JSON (image, location, interactive, …), sent as is.
    Json(serde_json::Value),
}

/// Engati's broadcast wrapper API request.
#[derive(Debug, Clone, PartialEq)]
pub struct BroadcastRequest {
    /// The broadcast's title.
    pub title: String,
    /// Channel user ids of the audience.
    pub users: Vec<String>,
    /// When to publish (UTC); `None` is immediately.
    pub at: Option<DateTime<Utc>>,
    /// The text message to broadcast.
    pub text: String,
}

/// Engati's external broadcast request.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalBroadcast {
    /// The broadcast name (`broadcast_id`).
    pub name: String,
    /// The audience CSV file.
    pub audience: PathBuf,
    /// The template's name.
    pub template: String,
    /// The template language (`en_US`).
    pub lang: String,
}

/// Engati's API trigger of a flow.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowTrigger {
    /// The flow key (32 hexadecimal characters).
    pub flow_key: String,
    /// API Trigger v2 (JSON body) instead of v1 (query parameters).
    pub v2: bool,
    /// The user's phone number with country code (`user.phone_no`).
    pub phone: String,
    /// Further attributes, in the order given.
    pub attributes: Vec<(String, String)>,
}

/// A write request ready to send: built once, printed by `--dry-run`, summarised in the
/// confirmation prompt, and sent by `submit_write`.
#[derive(Debug, Clone)]
pub struct PreparedWrite {
    /// What it does.
    pub operation: Operation,
    /// One line for the confirmation prompt: "send template 'order_shipped' (en_US) to +57…".
    pub summary: String,
    /// The request, without credentials (the provider adds them when it sends).
    pub request: ApiRequest,
    /// The full URL it goes to.
    pub url: String,
    /// The credential headers the provider will add, shown as `***` by `--dry-run`.
    pub credential_headers: Vec<HeaderName>,
}

impl PreparedWrite {
    /// The request as `--dry-run` prints it: method and URL, headers (credentials as `***`), a
    /// blank line and the body (JSON pretty-printed, text as is, binary as a byte count).
    pub fn dry_run_text(&self) -> String {
        request_text(&self.request, &self.url, &self.credential_headers)
    }
}

/// A request as `--dry-run` prints it ([`PreparedWrite::dry_run_text`]): `request` to `url`, with
/// `credential_headers` (added when it is sent) as `***`.
pub fn request_text(request: &ApiRequest, url: &str, credential_headers: &[HeaderName]) -> String {
    let mut out = format!("{} {}\n", request.method, url);
    for name in credential_headers {
        let _ = writeln!(out, "{}: ***", name.as_str());
    }
    for (name, value) in &request.headers {
        let shown = if value.is_sensitive() {
            "***"
        } else {
            value.to_str().unwrap_or("<binary>")
        };
        let _ = writeln!(out, "{}: {shown}", name.as_str());
    }
    if let Some((content_type, body)) = &request.body {
        let _ = writeln!(
            out,
            "content-type: {}",
            content_type.to_str().unwrap_or("<binary>")
        );
        out.push('\n');
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(json) => out.push_str(
                &serde_json::to_string_pretty(&json).unwrap_or_else(|_| json.to_string()),
            ),
            Err(_) => match std::str::from_utf8(body) {
                Ok(text) => out.push_str(text),
                Err(_) => {
                    let _ = write!(out, "<{} bytes of binary data>", body.len());
                }
            },
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// What the vendor answered to an accepted write.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteReceipt {
    /// The command.
    pub operation: Operation,
    /// The vendor's own words ("Template message sent successfully").
    pub message: Option<String>,
    /// The id the vendor gave the message, broadcast or trigger, if any.
    pub id: Option<String>,
    /// The vendor's whole answer (its `data` or equivalent), for scripts.
    pub response: serde_json::Value,
}

impl WriteReceipt {
    /// The receipt with every text in it scrubbed of the run's secrets: it is printed as data,
    /// which is not scrubbed like logs and errors, and a vendor may echo what it was sent.
    pub fn scrubbed(self) -> WriteReceipt {
        let scrub = |s: String| crate::secret::scrub(&s).into_owned();
        WriteReceipt {
            operation: self.operation,
            message: self.message.map(scrub),
            id: self.id.map(scrub),
            response: scrub_json(self.response),
        }
    }
}

fn scrub_json(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as Json;
    let scrub = |s: String| crate::secret::scrub(&s).into_owned();
    match value {
        Json::String(s) => Json::String(scrub(s)),
        Json::Array(items) => Json::Array(items.into_iter().map(scrub_json).collect()),
        Json::Object(map) => Json::Object(
            map.into_iter()
                .map(|(k, v)| (scrub(k), scrub_json(v)))
                .collect(),
        ),
        other => other,
    }
}

impl Record for WriteReceipt {
    fn common_fields() -> Vec<FieldDef> {
        vec![
            FieldDef::new("command", FieldKind::Text, "the write command"),
            FieldDef::new(
                "accepted",
                FieldKind::Bool,
                "whether the vendor accepted it",
            ),
            FieldDef::new(
                "id",
                FieldKind::Text,
                "the vendor's id for what was sent, if it gives one",
            ),
            FieldDef::new("message", FieldKind::Text, "the vendor's message"),
            FieldDef::new("response", FieldKind::Json, "the vendor's whole answer"),
        ]
    }

    fn into_row(self) -> Vec<Value> {
        vec![
            Value::Text(self.operation.command().to_string()),
            Value::Bool(true),
            self.id.map_or(Value::Null, Value::Text),
            self.message.map_or(Value::Null, Value::Text),
            Value::Json(self.response),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use reqwest::header::{AUTHORIZATION, HeaderValue};

    fn prepared(body: Option<(&'static str, Bytes)>) -> PreparedWrite {
        let mut request = ApiRequest::post("/messages/send-template");
        if let Some((ct, b)) = body {
            request = request.body(HeaderValue::from_static(ct), b);
        }
        let mut secret = HeaderValue::from_static("canary-extra-secret");
        secret.set_sensitive(true);
        request = request
            .header(HeaderName::from_static("x-extra"), secret)
            .header(
                HeaderName::from_static("x-plain"),
                HeaderValue::from_static("visible"),
            );
        PreparedWrite {
            operation: Operation::SendTemplate,
            summary: "send".into(),
            request,
            url: "https://example.test/api/messages/send-template".into(),
            credential_headers: vec![AUTHORIZATION],
        }
    }

    #[test]
    fn dry_run_text_shows_credentials_as_stars_and_pretty_json() {
        let text = prepared(Some((
            "application/json",
            Bytes::from(r#"{"to":"+573001234567"}"#),
        )))
        .dry_run_text();
        assert_eq!(
            text,
            "POST https://example.test/api/messages/send-template\n\
             authorization: ***\n\
             x-extra: ***\n\
             x-plain: visible\n\
             content-type: application/json\n\
             \n\
             {\n  \"to\": \"+573001234567\"\n}\n"
        );
        assert!(!text.contains("canary"));
    }

    #[test]
    fn dry_run_text_shows_binary_bodies_as_a_byte_count() {
        let text = prepared(Some((
            "application/octet-stream",
            Bytes::from_static(&[0xff, 0xfe, 0x00]),
        )))
        .dry_run_text();
        assert!(text.ends_with("\n<3 bytes of binary data>\n"), "{text}");
    }

    #[test]
    fn a_scrubbed_receipt_hides_echoed_secrets_everywhere() {
        crate::secret::register("canary-receipt-secret-71");
        let receipt = WriteReceipt {
            operation: Operation::Trigger,
            message: Some("accepted canary-receipt-secret-71".into()),
            id: Some("canary-receipt-secret-71".into()),
            response: serde_json::json!({"echo": ["x canary-receipt-secret-71"],
                                         "canary-receipt-secret-71": 1, "n": 2}),
        }
        .scrubbed();
        let text = format!("{receipt:?}");
        assert!(!text.contains("canary-receipt-secret-71"), "{text}");
        assert_eq!(receipt.response["n"], 2);
    }

    #[test]
    fn a_receipt_is_one_row_of_the_declared_fields() {
        let receipt = WriteReceipt {
            operation: Operation::SendReaction,
            message: Some("Reaction sent".into()),
            id: None,
            response: serde_json::json!({}),
        };
        assert_eq!(
            WriteReceipt::common_fields().len(),
            receipt.clone().into_row().len()
        );
        assert_eq!(
            receipt.into_row()[0],
            Value::Text("messages send-reaction".into())
        );
    }
}
