//! `conversations <USER_ID>`: one user's chat history (Engati's conversations API).

use clap::Args;

use super::{Ctx, RangeArgs};
use crate::error::AppError;
use crate::provider::Operation;
use crate::provider::users::ConversationQuery;

/// `conversations`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("last", |a| a.help(super::last_help(Operation::Conversations))))]
pub struct ConversationsArgs {
    /// The user's channel user id (WhatsApp: the phone number), as 'users find' lists it
    #[arg(value_name = "USER_ID")]
    user: String,
    #[command(flatten)]
    range: RangeArgs,
    /// At most N messages in total (the oldest first)
    #[arg(long, value_name = "N")]
    limit: Option<u64>,
    /// Messages per request, 1 to 500 (Engati's maximum) [default: 500]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=500))]
    page_size: Option<u64>,
}

/// Runs `conversations`: every page, oldest first. Without RANGE options Engati's own default
/// applies (every message up to now), as product.md asks where the vendor has one.
pub async fn run(args: ConversationsArgs, ctx: &Ctx) -> Result<(), AppError> {
    if ctx.fields_help_for(Operation::Conversations)? {
        return Ok(());
    }
    let account = ctx.account()?;
    let directory = ctx.capability(&account, Operation::Conversations, |p| p.user_directory())?;
    if args.user.trim().is_empty() {
        return Err(AppError::usage(
            "the user id is empty",
            "pass the user's channel user id (WhatsApp: the phone number) as 'wa-analytics users find' lists it",
        ));
    }
    let r = &args.range;
    let range = if r.from.is_some() || r.to.is_some() || r.last.is_some() {
        Some(
            ctx.range(Operation::Conversations, r, &account.profile)?
                .range,
        )
    } else {
        // --tz alone is still checked, so a typo is not silently ignored.
        if let Some(tz) = &r.tz {
            crate::time::Zone::parse(tz)?;
        }
        info!("range: the user's whole history (no --from, --to or --last)");
        None
    };
    let query = ConversationQuery {
        range,
        limit: args.limit,
        page_size: args.page_size,
    };
    ctx.write_stream(
        Vec::new(),
        directory.conversations(&args.user, &query),
        None,
    )
    .await?;
    Ok(())
}
