//! `campaigns list | summary | details | export`.

use clap::{Args, Subcommand};

use super::filters::FilterArgs;
use super::{Ctx, RangeArgs};
use crate::error::AppError;
use crate::output::Format;
use crate::provider::{CampaignQuery, CampaignType, DetailsQuery, Operation, SummaryQuery};

/// Campaign commands.
#[derive(Debug, Subcommand)]
pub enum CampaignsCommand {
    /// Campaigns sent (or created) in the range
    List(ListArgs),
    /// Aggregated metrics and rates of one campaign
    Summary(SummaryArgs),
    /// Contact-level rows of one campaign, every page unless --limit
    Details(DetailsArgs),
    /// Contact-level rows, every page, to a file (CSV unless -f or the extension says otherwise)
    Export(ExportArgs),
}

/// `campaigns list`.
#[derive(Debug, Args)]
#[command(
    after_help = "Insider's campaign-list takes no dates: with no RANGE every campaign is listed; with one, the campaigns sent (or, never sent, created) in it."
)]
pub struct ListArgs {
    #[command(flatten)]
    range: RangeArgs,
    /// Only campaigns of this type (Engage: one-time, recurrent; Insider: standard, ab-test,
    /// split, transactional, other)
    #[arg(long = "type", value_name = "TYPE", value_enum)]
    campaign_type: Option<CampaignType>,
    /// Only campaigns whose name contains TEXT, ignoring case (Insider)
    #[arg(long, value_name = "TEXT")]
    name: Option<String>,
    #[command(flatten)]
    filters: FilterArgs,
}

/// `campaigns summary`.
#[derive(Debug, Args)]
#[command(
    after_help = "Insider: with no RANGE, the campaign's whole lifetime; rates are computed from its counts (read/delivered, engaged/delivered, errors/total)."
)]
pub struct SummaryArgs {
    /// The campaign (its name for Engage, its numeric id for Insider)
    campaign: String,
    #[command(flatten)]
    range: RangeArgs,
}

/// `campaigns details`.
#[derive(Debug, Args)]
pub struct DetailsArgs {
    /// The campaign (its name for Engage)
    campaign: String,
    #[command(flatten)]
    range: RangeArgs,
    /// Only rows of this execution type
    #[arg(long = "type", value_name = "TYPE", value_enum)]
    campaign_type: Option<CampaignType>,
    /// At most N rows in total
    #[arg(long, value_name = "N")]
    limit: Option<u64>,
    /// Skip the first N rows
    #[arg(long, value_name = "N", default_value_t = 0)]
    offset: u64,
    /// Rows per request, up to the vendor's maximum (Engage: 10,000) [default: the maximum]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    page_size: Option<u64>,
}

/// `campaigns export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The campaign (its name for Engage)
    campaign: String,
    #[command(flatten)]
    range: RangeArgs,
    /// Only rows of this execution type
    #[arg(long = "type", value_name = "TYPE", value_enum)]
    campaign_type: Option<CampaignType>,
    /// Rows per request, up to the vendor's maximum (Engage: 10,000) [default: the maximum]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    page_size: Option<u64>,
}

/// Runs a campaigns command.
pub async fn run(cmd: CampaignsCommand, ctx: &Ctx) -> Result<(), AppError> {
    match cmd {
        CampaignsCommand::List(args) => list(args, ctx).await,
        CampaignsCommand::Summary(args) => summary(args, ctx).await,
        CampaignsCommand::Details(args) => details(args, ctx).await,
        CampaignsCommand::Export(args) => export(args, ctx).await,
    }
}

async fn list(args: ListArgs, ctx: &Ctx) -> Result<(), AppError> {
    let account = ctx.account()?;
    ctx.require(&account, Operation::CampaignsList, "campaigns list")?;
    let query = CampaignQuery {
        range: ctx.range(&args.range, &account.profile)?,
        campaign_type: args.campaign_type,
        filters: args.filters.filters(args.name),
    };
    let extra = account.provider.extra_fields(Operation::CampaignsList);
    ctx.write_stream(extra, account.provider.list_campaigns(&query), None)
        .await?;
    Ok(())
}

async fn summary(args: SummaryArgs, ctx: &Ctx) -> Result<(), AppError> {
    let account = ctx.account()?;
    ctx.require(&account, Operation::CampaignsSummary, "campaigns summary")?;
    let extra = account.provider.extra_fields(Operation::CampaignsSummary);
    let mut fields = <crate::provider::CampaignSummary as crate::provider::Record>::common_fields();
    fields.extend(extra.clone());
    if ctx.fields_help(&fields)? {
        return Ok(());
    }
    check_campaign(&args.campaign)?;
    let query = SummaryQuery {
        range: ctx.range(&args.range, &account.profile)?,
    };
    let summary = account
        .provider
        .campaign_summary(&args.campaign, &query)
        .await?;
    ctx.write_object(extra, summary)
}

async fn details(args: DetailsArgs, ctx: &Ctx) -> Result<(), AppError> {
    let account = ctx.account()?;
    ctx.require(&account, Operation::CampaignsDetails, "campaigns details")?;
    check_campaign(&args.campaign)?;
    let query = DetailsQuery {
        range: ctx.range(&args.range, &account.profile)?,
        campaign_type: args.campaign_type,
        limit: args.limit,
        offset: args.offset,
        page_size: args.page_size,
    };
    let extra = account.provider.extra_fields(Operation::CampaignsDetails);
    ctx.write_stream(
        extra,
        account.provider.campaign_details(&args.campaign, &query),
        None,
    )
    .await?;
    Ok(())
}

async fn export(args: ExportArgs, ctx: &Ctx) -> Result<(), AppError> {
    if ctx.global.output.is_none() && ctx.global.fields.as_deref() != Some("help") {
        return Err(AppError::usage(
            "campaigns export needs -o FILE",
            "name the file to write, e.g. -o contacts.csv (the format follows the extension; CSV by default); to print rows instead, use 'campaigns details'",
        ));
    }
    let account = ctx.account()?;
    ctx.require(&account, Operation::CampaignsDetails, "campaigns export")?;
    check_campaign(&args.campaign)?;
    let query = DetailsQuery {
        range: ctx.range(&args.range, &account.profile)?,
        campaign_type: args.campaign_type,
        limit: None,
        offset: 0,
        page_size: args.page_size,
    };
    let extra = account.provider.extra_fields(Operation::CampaignsDetails);
    ctx.write_stream(
        extra,
        account.provider.campaign_details(&args.campaign, &query),
        Some(Format::Csv),
    )
    .await?;
    Ok(())
}

fn check_campaign(name: &str) -> Result<(), AppError> {
    if name.trim().is_empty() {
        return Err(AppError::usage(
            "the campaign name is empty",
            "pass the campaign's name as listed by 'wa-analytics campaigns list'",
        ));
    }
    Ok(())
}
