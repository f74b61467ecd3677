//! `messages send-template | send-reaction | send`: outbound WhatsApp messages (Engagive; the
//! template message also Engati). Write commands: see [`super::write`].

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Ctx;
use super::write::{self, WriteArgs};
use crate::error::AppError;
use crate::provider::{MessageBody, TemplateMessage, WriteCommand};

/// Message commands.
#[derive(Debug, Clone, Subcommand)]
pub enum MessagesCommand {
    /// Send an approved template message to one number (Engagive, Engati)
    SendTemplate(SendTemplateArgs),
    /// React with an emoji to a message a contact sent (Engagive)
    SendReaction(SendReactionArgs),
    /// Send one free-form message: text, or a message object from a JSON file (Engagive)
    Send(SendArgs),
}

/// `messages send-template`.
#[derive(Debug, Clone, Args)]
pub struct SendTemplateArgs {
    /// The recipient: country code and digits, e.g. +573001234567
    #[arg(long, value_name = "PHONE", value_parser = write::phone)]
    to: String,
    /// The template's name or code
    #[arg(long, value_name = "CODE")]
    template: String,
    /// The template language, e.g. en_US
    #[arg(long, value_name = "LANG")]
    lang: String,
    /// A body parameter ({{1}}, {{2}}, … in the order given); repeat for each
    #[arg(long = "param", value_name = "VALUE")]
    params: Vec<String>,
    #[command(flatten)]
    write: WriteArgs,
}

/// `messages send-reaction`.
#[derive(Debug, Clone, Args)]
pub struct SendReactionArgs {
    /// The recipient: country code and digits, e.g. +573001234567
    #[arg(long, value_name = "PHONE", value_parser = write::phone)]
    to: String,
    /// The WhatsApp id of the message reacted to (wamid.…)
    #[arg(long, value_name = "ID")]
    message_id: String,
    /// The emoji, e.g. 👍
    #[arg(long, value_name = "EMOJI")]
    emoji: String,
    #[command(flatten)]
    write: WriteArgs,
}

/// `messages send`.
#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("content").required(true).args(["text", "json"])))]
pub struct SendArgs {
    /// The recipient: country code and digits, e.g. +573001234567
    #[arg(long, value_name = "PHONE", value_parser = write::phone)]
    to: String,
    /// A text message
    #[arg(long, value_name = "TEXT")]
    text: Option<String>,
    /// A message object in the vendor's JSON (image, document, location, interactive, …); - reads stdin
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    #[command(flatten)]
    write: WriteArgs,
}

/// Runs a messages command.
pub async fn run(cmd: MessagesCommand, ctx: &Ctx) -> Result<(), AppError> {
    match cmd {
        MessagesCommand::SendTemplate(a) => {
            let command = WriteCommand::SendTemplate(TemplateMessage {
                to: a.to,
                template: a.template,
                lang: a.lang,
                params: a.params,
            });
            write::run(ctx, &a.write, command).await
        }
        MessagesCommand::SendReaction(a) => {
            let command = WriteCommand::SendReaction {
                to: a.to,
                message_id: a.message_id,
                emoji: a.emoji,
            };
            write::run(ctx, &a.write, command).await
        }
        MessagesCommand::Send(a) => {
            let body = match (a.text, a.json) {
                (Some(text), _) => MessageBody::Text(text),
                (None, Some(path)) => MessageBody::Json(read_json(ctx, &path)?),
                (None, None) => unreachable!("clap requires --text or --json"),
            };
            let command = WriteCommand::SendMessage { to: a.to, body };
            write::run(ctx, &a.write, command).await
        }
    }
}

/// Reads a JSON message object from a file (`-` is the run's stdin).
fn read_json(ctx: &Ctx, path: &std::path::Path) -> Result<serde_json::Value, AppError> {
    let shown = path.display();
    let text = if path.as_os_str() == "-" {
        ctx.io.stdin().read_to_string()
    } else {
        std::fs::read_to_string(path)
    }
    .map_err(|e| {
        AppError::usage(
            format!("could not read the message file {shown}: {e}"),
            "give --json the path of a JSON file, or - for stdin",
        )
    })?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        AppError::usage(
            format!("the message file {shown} is not valid JSON ({e})"),
            "write the message object as JSON, e.g. {\"type\":\"image\",\"image\":{\"link\":\"https://…\"}}",
        )
    })?;
    if !value.is_object() {
        return Err(AppError::usage(
            format!("the message file {shown} holds JSON that is not an object"),
            "write one message object, e.g. {\"type\":\"location\",\"location\":{…}}",
        ));
    }
    Ok(value)
}
