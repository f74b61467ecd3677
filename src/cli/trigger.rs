//! `trigger <FLOW_KEY>`: start a bot flow for one WhatsApp user (Engati's API Trigger v1, or v2
//! with `--v2`). A write command: see [`super::write`].

use clap::Args;

use super::Ctx;
use super::write::{self, WriteArgs};
use crate::error::AppError;
use crate::provider::{FlowTrigger, WriteCommand};

/// The attribute that names the user (vendors.md Part 2 §2.7: required, with country code).
const PHONE_ATTRIBUTE: &str = "user.phone_no";

/// `trigger`.
#[derive(Debug, Clone, Args)]
pub struct TriggerArgs {
    /// The flow key: 32 hexadecimal characters, from the path info (i) icon in the flow builder
    #[arg(value_name = "FLOW_KEY")]
    flow_key: String,
    /// Use API Trigger v2 (a JSON body with user.channel) instead of v1 (query parameters)
    #[arg(long)]
    v2: bool,
    /// The user's phone number with country code, e.g. +573001234567 (sent as user.phone_no)
    #[arg(long, value_name = "PHONE", value_parser = write::phone)]
    to: Option<String>,
    /// An attribute for the flow, NAME=VALUE; repeat for each (--attr user.phone_no=… may replace --to)
    #[arg(long = "attr", value_name = "NAME=VALUE", value_parser = attribute)]
    attrs: Vec<(String, String)>,
    #[command(flatten)]
    write: WriteArgs,
}

fn attribute(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!(
            "'{s}' is not NAME=VALUE (e.g. --attr user.user_name=Ana)"
        )),
    }
}

/// Runs `trigger`.
pub async fn run(args: TriggerArgs, ctx: &Ctx) -> Result<(), AppError> {
    let mut attributes: Vec<(String, String)> = Vec::new();
    for (name, value) in args.attrs {
        if attributes.iter().any(|(n, _)| *n == name) {
            return Err(AppError::usage(
                format!("--attr {name} is given twice"),
                "give each attribute once",
            ));
        }
        attributes.push((name, value));
    }
    let from_attr = attributes
        .iter()
        .position(|(n, _)| n == PHONE_ATTRIBUTE)
        .map(|i| attributes.remove(i).1);
    let phone = match (args.to, from_attr) {
        (Some(_), Some(_)) => {
            return Err(AppError::usage(
                "the phone number is given twice: by --to and by --attr user.phone_no",
                "give it once, with --to PHONE",
            ));
        }
        (Some(phone), None) => phone,
        (None, Some(phone)) => write::phone(&phone).map_err(|e| {
            AppError::usage(
                format!("--attr user.phone_no: {e}"),
                "give the number with its country code, e.g. --to +573001234567",
            )
        })?,
        (None, None) => {
            return Err(AppError::usage(
                "API Trigger needs the user's phone number (user.phone_no)",
                "add --to PHONE with the country code, e.g. --to +573001234567",
            ));
        }
    };
    let command = WriteCommand::Trigger(FlowTrigger {
        flow_key: args.flow_key,
        v2: args.v2,
        phone,
        attributes,
    });
    write::run(ctx, &args.write, command).await
}
