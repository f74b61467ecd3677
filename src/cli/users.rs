//! `users find`: a bot platform's users by attribute (Engati's users API).

use clap::{Args, Subcommand};

use super::Ctx;
use crate::error::AppError;
use crate::provider::Operation;
use crate::provider::users::UserQuery;

/// User commands.
#[derive(Debug, Clone, Subcommand)]
pub enum UsersCommand {
    /// Users whose attribute has a value (Engati), e.g. --attribute feedback --value 1
    Find(FindArgs),
}

/// `users find`.
#[derive(Debug, Clone, Args)]
pub struct FindArgs {
    /// The attribute's name, as the bot stores it
    #[arg(long, value_name = "NAME")]
    attribute: String,
    /// The value it must have (compared by the vendor)
    #[arg(long, value_name = "VALUE")]
    value: String,
}

/// Runs a users command.
pub async fn run(cmd: UsersCommand, ctx: &Ctx) -> Result<(), AppError> {
    match cmd {
        UsersCommand::Find(args) => find(args, ctx).await,
    }
}

async fn find(args: FindArgs, ctx: &Ctx) -> Result<(), AppError> {
    if ctx.fields_help_for(Operation::UsersFind)? {
        return Ok(());
    }
    let account = ctx.account()?;
    let directory = ctx.capability(&account, Operation::UsersFind, |p| p.user_directory())?;
    if args.attribute.trim().is_empty() {
        return Err(AppError::usage(
            "the attribute name is empty",
            "name an attribute the bot stores, e.g. --attribute feedback --value 1",
        ));
    }
    let query = UserQuery {
        attribute: args.attribute,
        value: args.value,
    };
    ctx.write_stream(Vec::new(), directory.find_users(&query), None)
        .await?;
    Ok(())
}
