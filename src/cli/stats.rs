//! `stats`: message metrics per period, or per campaign, or in total, of the campaigns or of a
//! vendor's product report.

use clap::Args;

use super::filters::FilterArgs;
use super::{Ctx, RangeArgs};
use crate::error::AppError;
use crate::provider::reports::{ReportView, StatsReport};
use futures::StreamExt;

use crate::output::Format;
use crate::provider::{
    CampaignAnalytics, CampaignSummary, CampaignType, Frequency, Operation, Page, ProviderError,
    Record, RecordStream, StatsBucket, StatsQuery, Vendor, figures, unsupported_command,
};
use crate::report::bars::{self, BarRow};

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
    /// Draw the periods as horizontal bars (sent, delivered, read) fitted to the terminal's
    /// width (COLUMNS, else the terminal, else 80); plain text, also on a pipe
    #[arg(long)]
    chart: bool,
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
    if args.chart {
        chart_allowed(ctx, view, args.report)?;
    }
    let account = ctx.account()?;
    ctx.require(&account, op, op.command())?;
    let mut query = query(ctx, op, &args.range, &account.profile)?;
    query.frequency = args.frequency;
    query.campaign_type = args.campaign_type;
    query.filters = args.filters.filters(None);
    let provider = &account.provider;
    let vendor = account.profile.vendor;
    if args.report == StatsReport::Campaigns {
        let campaigns = ctx.capability(&account, op, |p| p.campaigns())?;
        let extra = provider.extra_fields(op);
        match view {
            ReportView::Periods if args.chart => {
                let buckets = super::report::collect(periods(vendor, campaigns, &query)).await?;
                draw(ctx, &query, &buckets)?;
            }
            ReportView::Periods => {
                ctx.write_stream(extra, periods(vendor, campaigns, &query), None)
                    .await?;
            }
            ReportView::ByCampaign => {
                let rows = checked(vendor, campaigns.stats_by_campaign(&query), campaign_breach);
                ctx.write_stream(extra, rows, None).await?;
            }
            ReportView::Total => {
                let total = totals(vendor, campaigns, &query).await?;
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

/// The query of `stats` for `profile` over RANGE: its range and zone resolved (and said at
/// `-v`) as every read command's are, daily, every campaign. `report` reads the same.
pub(super) fn query(
    ctx: &Ctx,
    op: Operation,
    range: &RangeArgs,
    profile: &crate::config::Profile,
) -> Result<StatsQuery, AppError> {
    Ok(StatsQuery {
        range: ctx.range(op, range, profile)?,
        zone: ctx.zone(range, profile)?,
        frequency: Frequency::Daily,
        campaign_type: None,
        filters: Default::default(),
    })
}

/// The periods `stats` prints, each checked against the invariants: what `report` charts too.
pub(super) fn periods<'a>(
    vendor: Vendor,
    campaigns: &'a dyn CampaignAnalytics,
    query: &'a StatsQuery,
) -> RecordStream<'a, StatsBucket> {
    checked(vendor, campaigns.stats(query), bucket_breach)
}

/// The totals `stats --total` prints, warned of each invariant they break: what `report` shows
/// too.
pub(super) async fn totals(
    vendor: Vendor,
    campaigns: &dyn CampaignAnalytics,
    query: &StatsQuery,
) -> Result<CampaignSummary, ProviderError> {
    let total = campaigns.stats_total(query).await?;
    total_breaches(vendor, &total);
    Ok(total)
}

/// `--chart` draws the periods of the campaigns' statistics, as text: `-f` other than table,
/// another view, or several profiles at once are usage errors, before any request.
fn chart_allowed(ctx: &Ctx, view: ReportView, report: StatsReport) -> Result<(), AppError> {
    if view != ReportView::Periods || report != StatsReport::Campaigns {
        return Err(AppError::usage(
            "--chart draws the periods of the campaigns' statistics; it does not go with --total, --by-campaign or --report",
            "drop --chart for those views, or drop the option to chart the periods",
        ));
    }
    let format = ctx.global.format.filter(|f| {
        // The environment's default format is for the tables and files, not a chart.
        (ctx.env)("WA_ANALYTICS_FORMAT")
            .is_none_or(|env| <Format as clap::ValueEnum>::from_str(&env, true).ok() != Some(*f))
    });
    if let Some(format) = format.filter(|f| *f != Format::Table) {
        let name = <Format as clap::ValueEnum>::to_possible_value(&format)
            .map_or_else(String::new, |v| v.get_name().to_string());
        return Err(AppError::usage(
            format!("--chart draws text bars; it cannot be written as -f {name}"),
            "drop -f (or use -f table) to see the chart, or drop --chart to get the periods as data",
        ));
    }
    if ctx.global.jq.is_some() {
        return Err(AppError::usage(
            "--chart draws text bars, which --jq cannot filter",
            "drop --chart to filter the periods as JSON with --jq, or drop --jq to see the chart",
        ));
    }
    if ctx.global.output.is_some() {
        return Err(AppError::usage(
            "--chart draws on the terminal; it is not written to a file with -o",
            "drop -o to see the chart (redirect it with > if you want it in a file), or drop --chart to write the periods as data",
        ));
    }
    if ctx.member.is_some() {
        return Err(AppError::usage(
            "--chart draws one profile's periods; several profiles were named",
            "name one profile with -p NAME, or use 'wa-analytics report' for several profiles on one page",
        ));
    }
    Ok(())
}

/// Draws the periods as bars (sent, delivered, read), fitted to the terminal: `COLUMNS`, else
/// the terminal's width, else 80.
fn draw(ctx: &Ctx, query: &StatsQuery, buckets: &[StatsBucket]) -> Result<(), AppError> {
    let every = match query.frequency {
        Frequency::Daily => "day",
        Frequency::Weekly => "week (from Monday)",
    };
    let title = format!(
        "Messages per {every}, {}",
        crate::report::span(&query.zone, &query.range.range)
    );
    let rows: Vec<BarRow> = buckets
        .iter()
        .map(|b| BarRow {
            label: b.period.to_string(),
            counts: vec![b.sent, b.delivered, b.read],
        })
        .collect();
    let width = bars::width((ctx.env)("COLUMNS"), ctx.io.terminal_width);
    let text = bars::chart(
        &title,
        "period",
        &["sent", "delivered", "read"],
        &rows,
        width,
    );
    super::report::print(ctx, text.as_bytes())
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
