//! `broadcast` (Engati's broadcast wrapper API) and `broadcast external` (its external broadcast
//! of a WhatsApp template to a CSV audience). Write commands: see [`super::write`].

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Ctx;
use super::write::{self, WriteArgs};
use crate::error::AppError;
use crate::provider::{BroadcastRequest, ExternalBroadcast, WriteCommand};
use crate::time::{self, Zone};

/// `broadcast`: a text message to a list of users, now or at a time; or `broadcast external`.
#[derive(Debug, Clone, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct BroadcastArgs {
    #[command(subcommand)]
    external: Option<BroadcastCommand>,
    /// The audience: channel user ids (WhatsApp: phone numbers, as 'users find' lists them), comma-separated or repeated
    #[arg(long, value_name = "ID,…", value_delimiter = ',', required = true)]
    users: Vec<String>,
    /// The text message to broadcast
    #[arg(long, value_name = "TEXT", required = true)]
    text: Option<String>,
    /// The broadcast's title in Engati [default: "wa-analytics" and the current time]
    #[arg(long, value_name = "TITLE")]
    title: Option<String>,
    /// When to publish: YYYY-MM-DD HH:MM, RFC 3339, … in --tz [default: now]
    #[arg(long, value_name = "WHEN")]
    at: Option<String>,
    /// Zone of --at when it has no offset [default: the profile's timezone, else UTC]
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    #[command(flatten)]
    write: WriteArgs,
}

/// `broadcast external`.
#[derive(Debug, Clone, Subcommand)]
pub enum BroadcastCommand {
    /// Send a WhatsApp template to every number of a CSV audience (Engati's external broadcast, 360Dialog)
    External(ExternalArgs),
}

/// `broadcast external`.
#[derive(Debug, Clone, Args)]
pub struct ExternalArgs {
    /// The audience: a CSV with the header user.phone_number,user.attribute_0,… and numbers with + and the country code
    #[arg(long, value_name = "FILE.csv")]
    audience: PathBuf,
    /// The approved template's name
    #[arg(long, value_name = "CODE")]
    template: String,
    /// The template language, e.g. en_US
    #[arg(long, value_name = "LANG")]
    lang: String,
    /// The broadcast's name in Engati (broadcast_id) [default: the audience file's name without .csv]
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    #[command(flatten)]
    write: WriteArgs,
}

/// Runs `broadcast` or `broadcast external`.
pub async fn run(args: BroadcastArgs, ctx: &Ctx) -> Result<(), AppError> {
    if let Some(BroadcastCommand::External(e)) = args.external {
        return external(e, ctx).await;
    }
    let mut users: Vec<String> = Vec::new();
    for id in args.users.iter().map(|u| u.trim()) {
        if id.is_empty() {
            return Err(AppError::usage(
                "--users holds an empty user id",
                "list channel user ids separated by commas, e.g. --users 573001234567,573009876543",
            ));
        }
        // A user listed twice gets one message, not two.
        if !users.iter().any(|u| u == id) {
            users.push(id.to_string());
        }
    }
    if users.len() < args.users.len() {
        info!(
            "--users: {} repeated id(s) dropped",
            args.users.len() - users.len()
        );
    }
    let text = args.text.unwrap_or_default();
    if text.trim().is_empty() {
        return Err(AppError::usage(
            "the broadcast text is empty",
            "give the message with --text TEXT",
        ));
    }
    // Opened once, here: the profile's zone reads --at, and the send goes to the same account.
    let account = ctx.account()?;
    let at = match &args.at {
        None => None,
        Some(when) => {
            let zone = match &args.tz {
                Some(tz) => Zone::parse(tz)?,
                None => account.profile.timezone.unwrap_or(Zone::UTC),
            };
            let t = time::parse_when(when, &zone, ctx.now, false)?;
            if t <= ctx.now {
                return Err(AppError::usage(
                    format!(
                        "--at {when} is not in the future ({}), and Engati sends a broadcast of a past time at once",
                        t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    ),
                    "give a later time, or leave --at out to send now",
                ));
            }
            Some(t)
        }
    };
    let title = args
        .title
        .unwrap_or_else(|| format!("wa-analytics {}", ctx.now.format("%Y-%m-%d %H:%M UTC")));
    let command = WriteCommand::Broadcast(BroadcastRequest {
        title,
        users,
        at,
        text,
    });
    write::run_on(ctx, &args.write, account, command).await
}

async fn external(args: ExternalArgs, ctx: &Ctx) -> Result<(), AppError> {
    let name = match args.name {
        Some(name) => name,
        None => args
            .audience
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let command = WriteCommand::BroadcastExternal(ExternalBroadcast {
        name,
        audience: args.audience,
        template: args.template,
        lang: args.lang,
    });
    write::run(ctx, &args.write, command).await
}
