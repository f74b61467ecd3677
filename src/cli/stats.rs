//! `stats`: message metrics per period.

use clap::Args;

use super::{Ctx, RangeArgs};
use crate::error::AppError;
use crate::provider::{CampaignType, Frequency, Operation, StatsQuery};

/// `stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    range: RangeArgs,
    /// Bucket size (weeks start on Monday)
    #[arg(long, value_name = "FREQ", value_enum, default_value_t = Frequency::Daily)]
    frequency: Frequency,
    /// Only campaigns of this execution type
    #[arg(long = "type", value_name = "TYPE", value_enum)]
    campaign_type: Option<CampaignType>,
}

/// Runs `stats`.
pub async fn run(args: StatsArgs, ctx: &Ctx) -> Result<(), AppError> {
    let account = ctx.account()?;
    ctx.require(&account, Operation::Stats, "stats")?;
    let query = StatsQuery {
        range: ctx.range(&args.range, &account.profile)?,
        frequency: args.frequency,
        campaign_type: args.campaign_type,
    };
    let extra = account.provider.extra_fields(Operation::Stats);
    ctx.write_stream(extra, account.provider.stats(&query), None)
        .await?;
    Ok(())
}
