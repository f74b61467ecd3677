//! `clicks [RANGE]` and `clicks summary [RANGE]`: clicks on ads and posts that opened a WhatsApp
//! chat (Wolkvox chat_14 and chat_15).

use clap::{Args, Subcommand};

use super::{Ctx, RangeArgs};
use crate::error::AppError;
use crate::provider::Operation;

/// `clicks`: one row per click, or `clicks summary` for the totals.
#[derive(Debug, Clone, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ClicksArgs {
    #[command(subcommand)]
    command: Option<ClicksCommand>,
    #[command(flatten)]
    range: RangeArgs,
}

/// The `clicks` subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum ClicksCommand {
    /// Click totals by source (ad or post) and by who answered (chatbot or agents): Wolkvox chat_15
    Summary(SummaryArgs),
}

/// `clicks summary`.
#[derive(Debug, Clone, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    range: RangeArgs,
}

/// Runs `clicks` or `clicks summary`.
pub async fn run(args: ClicksArgs, ctx: &Ctx) -> Result<(), AppError> {
    match args.command {
        None => detail(args.range, ctx).await,
        Some(ClicksCommand::Summary(s)) => summary(s.range, ctx).await,
    }
}

async fn detail(range: RangeArgs, ctx: &Ctx) -> Result<(), AppError> {
    if ctx.fields_help_for(Operation::Clicks)? {
        return Ok(());
    }
    let account = ctx.account()?;
    let reports = ctx.capability(&account, Operation::Clicks, |p| p.click_reports())?;
    let range = ctx.range(Operation::Clicks, &range, &account.profile)?;
    ctx.write_stream(Vec::new(), reports.clicks(&range), None)
        .await?;
    Ok(())
}

async fn summary(range: RangeArgs, ctx: &Ctx) -> Result<(), AppError> {
    if ctx.fields_help_for(Operation::ClicksSummary)? {
        return Ok(());
    }
    let account = ctx.account()?;
    let reports = ctx.capability(&account, Operation::ClicksSummary, |p| p.click_reports())?;
    let range = ctx.range(Operation::ClicksSummary, &range, &account.profile)?;
    let totals = reports.click_summary(&range).await?;
    ctx.write_object(Vec::new(), totals)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};
    use crate::provider::Click;
    use crate::provider::Record;

    fn parse(args: &[&str]) -> Result<ClicksArgs, clap::Error> {
        let mut argv = vec!["wa-analytics", "clicks"];
        argv.extend_from_slice(args);
        match Cli::try_parse_from(argv)?.command {
            Command::Clicks(c) => Ok(c),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn clicks_and_clicks_summary_both_take_a_range() {
        let c = parse(&["--last", "7d"]).unwrap();
        assert!(c.command.is_none());
        assert_eq!(c.range.last.as_deref(), Some("7d"));
        let c = parse(&["summary", "--from", "2026-04-01", "--tz", "UTC"]).unwrap();
        let Some(ClicksCommand::Summary(s)) = c.command else {
            panic!("not summary");
        };
        assert_eq!(s.range.from.as_deref(), Some("2026-04-01"));
        assert_eq!(s.range.tz.as_deref(), Some("UTC"));
        assert!(parse(&[]).unwrap().command.is_none());
        // Global options still work after the subcommand.
        assert!(parse(&["summary", "-f", "json"]).is_ok());
        assert!(parse(&["nonsense"]).is_err());
        assert!(parse(&["--last", "7d", "--from", "2026-04-01"]).is_err());
    }

    #[test]
    fn click_fields_start_with_chat_id() {
        let names: Vec<_> = Click::common_fields()
            .into_iter()
            .map(|f| f.name.into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "chat_id",
                "source_url",
                "source_type",
                "source_id",
                "rp_id",
                "agent_id",
                "media_type",
                "media_url",
                "date",
                "cod_act"
            ]
        );
    }
}
