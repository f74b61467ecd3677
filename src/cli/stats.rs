//! `stats`: message metrics per period, or per campaign, or in total, of the campaigns or of a
//! vendor's product report.

use clap::Args;

use super::filters::FilterArgs;
use super::{Ctx, RangeArgs};
use crate::error::AppError;
use crate::provider::reports::{ReportView, StatsReport};
use futures::StreamExt;

use crate::provider::{
    CampaignSummary, CampaignType, Frequency, Operation, Page, Record, RecordStream, StatsBucket,
    StatsQuery, Vendor, figures, unsupported_command,
};

/// `stats`.
#[derive(Debug, Clone, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    range: RangeArgs,
    /// Bucket size (weeks start on Monday)
    #[arg(long, value_name = "FREQ", value_enum, default_value_t = Frequency::Daily)]
    frequency: Frequency,
    /// Only campaigns of this type (Engage: one-time, recurrent; Insider: standard, ab-test,
    /// split, transactional, other)
    #[arg(long = "type", value_name = "TYPE", value_enum)]
    campaign_type: Option<CampaignType>,
    #[command(flatten)]
    filters: FilterArgs,
    /// Which statistics: the campaigns', or Insider's transactional or verify (OTP) reports
    #[arg(long, value_name = "REPORT", value_enum, default_value_t = StatsReport::Campaigns)]
    report: StatsReport,
    /// One row per campaign over the whole range instead of one per period (Engage, Wolkvox:
    /// derived, every campaign's summary over the range; Insider: overall's per-campaign rows)
    #[arg(long, conflicts_with_all = ["total", "frequency"])]
    by_campaign: bool,
    /// One row of totals over the whole range instead of one per period (Engage: derived, the
    /// range's days summed; Wolkvox: derived, every campaign's records counted; Insider:
    /// overall's summary)
    #[arg(long, conflicts_with = "frequency")]
    total: bool,
}

/// Runs `stats`.
pub async fn run(args: StatsArgs, ctx: &Ctx) -> Result<(), AppError> {
    let view = match (args.by_campaign, args.total) {
        (true, _) => ReportView::ByCampaign,
        (false, true) => ReportView::Total,
        (false, false) => ReportView::Periods,
    };
    // The campaigns' periods, per-campaign rows and totals are commands of their own (every
    // vendor with campaign analytics serves them); a product report's are its views.
    let op = match (args.report, view) {
        (StatsReport::Campaigns, ReportView::ByCampaign) => Operation::StatsByCampaign,
        (StatsReport::Campaigns, ReportView::Total) => Operation::StatsTotal,
        (report, _) => report.operation(),
    };
    let own_command = args.report == StatsReport::Campaigns || view == ReportView::Periods;
    if own_command && ctx.fields_help_for(op)? {
        return Ok(());
    }
    let account = ctx.account()?;
    ctx.require(&account, op, op.command())?;
    let query = StatsQuery {
        range: ctx.range(op, &args.range, &account.profile)?,
        zone: ctx.zone(&args.range, &account.profile)?,
        frequency: args.frequency,
        campaign_type: args.campaign_type,
        filters: args.filters.filters(None),
    };
    let provider = &account.provider;
    let vendor = account.profile.vendor;
    if args.report == StatsReport::Campaigns {
        let campaigns = ctx.capability(&account, op, |p| p.campaigns())?;
        let extra = provider.extra_fields(op);
        match view {
            ReportView::Periods => {
                let buckets = checked(vendor, campaigns.stats(&query), bucket_breach);
                ctx.write_stream(extra, buckets, None).await?;
            }
            ReportView::ByCampaign => {
                let rows = checked(vendor, campaigns.stats_by_campaign(&query), campaign_breach);
                ctx.write_stream(extra, rows, None).await?;
            }
            ReportView::Total => {
                let total = campaigns.stats_total(&query).await?;
                total_breaches(vendor, &total);
                ctx.write_object(extra, total)?;
            }
        }
        return Ok(());
    }
    let Some(reports) = provider.stats_reports() else {
        let option = match view {
            ReportView::ByCampaign => "stats --by-campaign",
            ReportView::Total => "stats --total",
            ReportView::Periods => op.command(),
        };
        return Err(unsupported_command(account.profile.vendor, option).into());
    };
    let extra = reports.report_fields(args.report, view);
    match view {
        ReportView::Periods => {
            let rows = checked(
                account.profile.vendor,
                reports.report_periods(args.report, &query),
                bucket_breach,
            );
            ctx.write_stream(extra, rows, None).await?;
        }
        ReportView::ByCampaign => {
            let rows = checked(
                account.profile.vendor,
                reports.report_by_campaign(args.report, &query),
                campaign_breach,
            );
            ctx.write_stream(extra, rows, None).await?;
        }
        ReportView::Total => {
            let mut fields = CampaignSummary::common_fields();
            fields.extend(extra.clone());
            if ctx.fields_help(&fields)? {
                return Ok(());
            }
            let total = reports.report_total(args.report, &query).await?;
            total_breaches(vendor, &total);
            ctx.write_object(extra, total)?;
        }
    }
    Ok(())
}

/// Warns of each invariant the totals break (printed as the vendor gave them).
fn total_breaches(vendor: Vendor, total: &CampaignSummary) {
    for breach in figures::breaches(&total.into()) {
        crate::warn!("{vendor}'s totals do not add up: {breach} (printed as {vendor} gave them)");
    }
}

/// The records of `stream`, each checked against the invariants (product.md, "What the numbers
/// mean"): a record that breaks one is printed as the vendor gave it, and `warn` says so (once
/// per invariant: it names the first record that breaks it).
fn checked<'a, T>(
    vendor: Vendor,
    stream: RecordStream<'a, T>,
    warn: fn(Vendor, &T, &figures::Breach),
) -> RecordStream<'a, T>
where
    T: Send + 'a,
    for<'r> &'r T: Into<figures::Figures>,
{
    stream
        .map(move |page| {
            let records = page?.decode()?;
            for record in &records {
                for breach in figures::breaches(&record.into()) {
                    warn(vendor, record, &breach);
                }
            }
            Ok(Page::from(records))
        })
        .boxed()
}

/// A stats period that does not add up.
fn bucket_breach(vendor: Vendor, bucket: &StatsBucket, breach: &figures::Breach) {
    crate::warn_once!(
        format!("breach {vendor} stats {}", breach.invariant),
        "{vendor}'s stats do not add up: on {} {breach} (printed as {vendor} gave them; later periods that break it are not named)",
        bucket.period
    );
}

/// A `--by-campaign` row that does not add up.
fn campaign_breach(vendor: Vendor, row: &CampaignSummary, breach: &figures::Breach) {
    crate::warn_once!(
        format!("breach {vendor} by-campaign {}", breach.invariant),
        "{vendor}'s figures for '{}' do not add up: {breach} (printed as {vendor} gave them; other campaigns that break it are not named)",
        row.name
            .as_deref()
            .or(row.id.as_deref())
            .unwrap_or("a campaign")
    );
}
