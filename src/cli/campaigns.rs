//! `campaigns list | summary | details | export`.

use clap::{Args, Subcommand};

use super::filters::FilterArgs;
use super::{Ctx, RangeArgs};
use crate::error::AppError;
use crate::output::Format;
use chrono::Duration;
use futures::StreamExt;

use crate::provider::figures;
use crate::provider::{
    CampaignAnalytics, CampaignQuery, CampaignType, ContactRecord, DetailsQuery, Operation, Page,
    QueryRange, SummaryQuery, Support,
};
use crate::state::{self, Incremental, StateFile};
use crate::time;
use std::sync::Arc;

/// Campaign commands.
#[derive(Debug, Clone, Subcommand)]
pub enum CampaignsCommand {
    /// Campaigns sent (or created) in the range
    ///
    /// Wolkvox: derived from campaign_9 record statuses (campaign_id=all), one row per campaign
    /// id with its first send and its record count; Wolkvox reports no names or types.
    ///
    /// Insider: campaign-list, every page; it takes no dates, so with no RANGE every campaign is
    /// listed, and with one the campaigns sent (or, never sent, created) in it.
    List(ListArgs),
    /// Aggregated metrics and rates of one campaign, or of every campaign in the range
    ///
    /// Without CAMPAIGN: one row per campaign 'campaigns list' shows for the same RANGE, in its
    /// order, each summarised over RANGE (Engage: one summary request per campaign; Insider: one
    /// statistics request per campaign id, at most 100 a second; Wolkvox: the list's campaign_9
    /// records counted per campaign, no further request).
    ///
    /// Wolkvox: derived, counted from the campaign's campaign_9 record statuses; rates are
    /// computed from those counts.
    ///
    /// Insider: the campaign's statistics by id (with no RANGE, its whole lifetime), every count
    /// and breakdown included; rates are computed from the counts.
    Summary(SummaryArgs),
    /// Contact-level rows of one campaign, every page unless --limit
    ///
    /// Wolkvox: campaign_9 record statuses of a campaign id, or of 'all'.
    Details(DetailsArgs),
    /// Contact-level rows, every page, to a file (CSV unless -f or the extension says otherwise)
    Export(ExportArgs),
}

/// `campaigns list`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("last", |a| a.help(super::last_help(Operation::CampaignsList))))]
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
#[derive(Debug, Clone, Args)]
#[command(mut_arg("last", |a| a.help(super::last_help(Operation::CampaignsSummary))))]
pub struct SummaryArgs {
    /// The campaign (its name for Engage; its numeric id for Insider; its numeric id, or 'all',
    /// for Wolkvox); without it, every campaign in the range, one row each
    campaign: Option<String>,
    #[command(flatten)]
    range: RangeArgs,
}

/// `campaigns details`.
#[derive(Debug, Clone, Args)]
pub struct DetailsArgs {
    /// The campaign (its name for Engage; its numeric id, or 'all', for Wolkvox)
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
#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Incremental exports for cron: with --state, a run without --from/--last starts where the last completed run of this profile and campaign ended (minus --lookback) and ends now or at --to; the state is saved only after the file was written, so a failed run is simply repeated by the next one."
)]
pub struct ExportArgs {
    /// The campaign (its name for Engage; its numeric id, or 'all', for Wolkvox)
    campaign: String,
    #[command(flatten)]
    range: RangeArgs,
    /// Only rows of this execution type
    #[arg(long = "type", value_name = "TYPE", value_enum)]
    campaign_type: Option<CampaignType>,
    /// Rows per request, up to the vendor's maximum (Engage: 10,000) [default: the maximum]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    page_size: Option<u64>,
    /// Incremental export: a state file, or a name kept under $XDG_STATE_HOME/wa-analytics
    #[arg(long, value_name = "FILE|NAME")]
    state: Option<String>,
    /// With --state: re-read this much before where the last run ended (late rows); rows already written are skipped
    #[arg(long, value_name = "DURATION", requires = "state")]
    lookback: Option<String>,
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
    if ctx.fields_help_for(Operation::CampaignsList)? {
        return Ok(());
    }
    let account = ctx.account()?;
    let campaigns = ctx.capability(&account, Operation::CampaignsList, |p| p.campaigns())?;
    let query = CampaignQuery {
        range: ctx.range(Operation::CampaignsList, &args.range, &account.profile)?,
        campaign_type: args.campaign_type,
        filters: args.filters.filters(args.name),
    };
    let extra = account.provider.extra_fields(Operation::CampaignsList);
    ctx.write_stream(extra, campaigns.list_campaigns(&query), None)
        .await?;
    Ok(())
}

async fn summary(args: SummaryArgs, ctx: &Ctx) -> Result<(), AppError> {
    if ctx.fields_help_for(Operation::CampaignsSummary)? {
        return Ok(());
    }
    let account = ctx.account()?;
    let campaigns = ctx.capability(&account, Operation::CampaignsSummary, |p| p.campaigns())?;
    let extra = account.provider.extra_fields(Operation::CampaignsSummary);
    let Some(campaign) = &args.campaign else {
        return every_summary(&args, ctx, &account, campaigns, extra).await;
    };
    check_campaign(campaign)?;
    let query = SummaryQuery {
        range: ctx.range(Operation::CampaignsSummary, &args.range, &account.profile)?,
    };
    let summary = campaigns.campaign_summary(campaign, &query).await?;
    let vendor = account.profile.vendor;
    for breach in figures::breaches(&(&summary).into()) {
        warn!(
            "{vendor}'s summary of '{campaign}' does not add up: {breach}; printed as {vendor} gave it"
        );
    }
    // Nothing sent, nothing failed: the campaign did not run in RANGE (sends that all failed
    // are a result of their own, not a range to widen).
    if summary.sent == Some(0) && summary.errors.unwrap_or(0) == 0 {
        let zone = ctx.zone(&args.range, &account.profile)?;
        let range = if query.range.explicit {
            format!(
                "from {} to {} ({})",
                zone.to_local(query.range.range.start)
                    .format("%Y-%m-%d %H:%M"),
                zone.to_local(query.range.range.end)
                    .format("%Y-%m-%d %H:%M"),
                zone.name()
            )
        } else {
            "in the default range".to_string()
        };
        // Only a vendor with a campaign directory tells when a campaign ran (a list derived
        // from records, as Wolkvox's, would mean reading a year of records).
        let directory = account
            .provider
            .capabilities()
            .support(Operation::CampaignsList)
            == Support::Native;
        let found = if directory {
            sent_at(campaigns, campaign, ctx.now).await
        } else {
            None
        };
        let when = match found {
            Some(at) => format!(
                "; {vendor} lists it as sent {} ({}): give a range that holds that day, e.g. --from {}",
                zone.to_local(at).format("%Y-%m-%d %H:%M"),
                zone.name(),
                zone.to_local(at).format("%Y-%m-%d")
            ),
            None => "; if it was sent at another time, give that range (--from/--to or --last)"
                .to_string(),
        };
        note!("'{campaign}' sent nothing {range}{when}");
    }
    ctx.write_object(extra, summary)
}

/// `campaigns summary` without CAMPAIGN: the summary of every campaign `campaigns list` shows
/// for RANGE, one row each in the list's order, each checked against the invariants as one
/// summary is.
async fn every_summary(
    args: &SummaryArgs,
    ctx: &Ctx,
    account: &super::ctx::Account,
    campaigns: &dyn CampaignAnalytics,
    extra: Vec<crate::output::FieldDef>,
) -> Result<(), AppError> {
    let query = summaries_query(ctx, &args.range, &account.profile)?;
    let vendor = account.profile.vendor;
    info!(
        "no CAMPAIGN: summarising every campaign 'campaigns list' shows for the range, one row each"
    );
    let rows = summaries(vendor, campaigns, &query);
    if funnel_table(ctx) {
        let rows = super::report::collect(rows).await?;
        return draw_funnel(ctx, &query, &account.profile, &args.range, &rows);
    }
    ctx.write_stream(extra, rows, None).await?;
    Ok(())
}

/// The query of `campaigns summary` without CAMPAIGN for `profile`: every campaign of RANGE.
/// `report` reads the same.
pub(super) fn summaries_query(
    ctx: &Ctx,
    range: &RangeArgs,
    profile: &crate::config::Profile,
) -> Result<CampaignQuery, AppError> {
    Ok(CampaignQuery {
        range: ctx.range(Operation::CampaignsSummary, range, profile)?,
        campaign_type: None,
        filters: Default::default(),
    })
}

/// The summaries `campaigns summary` without CAMPAIGN prints, each checked against the
/// invariants as one summary is: what `report` shows too.
pub(super) fn summaries<'a>(
    vendor: crate::vendor::Vendor,
    campaigns: &'a dyn CampaignAnalytics,
    query: &'a CampaignQuery,
) -> crate::provider::RecordStream<'a, crate::provider::CampaignSummary> {
    campaigns
        .campaign_summaries(query)
        .map(move |page| {
            let summaries = page?.decode()?;
            for summary in &summaries {
                let campaign = summary
                    .name
                    .as_deref()
                    .or(summary.id.as_deref())
                    .unwrap_or("a campaign");
                for breach in figures::breaches(&summary.into()) {
                    warn!("{vendor}'s summary of '{campaign}' does not add up: {breach}; printed as {vendor} gave it");
                }
            }
            Ok(Page::from(summaries))
        })
        .boxed()
}

/// Whether the summaries are shown as the funnel table: a table for people (no `--fields`, one
/// profile), not data.
fn funnel_table(ctx: &Ctx) -> bool {
    ctx.member.is_none()
        && ctx.global.fields.is_none()
        && crate::output::resolve_format(&ctx.output_spec(None)) == Format::Table
}

/// The summaries as a table of their funnel: per campaign its counts and a bar beside them
/// (sent, delivered, read, engaged, nested), fitted to the terminal (`COLUMNS`, else its width,
/// else 80); the rates and the other fields are in `-f json`/`csv`.
fn draw_funnel(
    ctx: &Ctx,
    query: &CampaignQuery,
    profile: &crate::config::Profile,
    range: &RangeArgs,
    rows: &[crate::provider::CampaignSummary],
) -> Result<(), AppError> {
    use crate::report::bars;
    let zone = ctx.zone(range, profile)?;
    let title = format!(
        "Campaigns of {}, {}: messages by funnel step",
        profile.name,
        crate::report::span(&zone, &query.range.range)
    );
    let rows: Vec<bars::BarRow> = rows
        .iter()
        .map(|c| bars::BarRow {
            label: c.name.clone().or_else(|| c.id.clone()).unwrap_or_default(),
            counts: vec![c.sent, c.delivered, c.read, c.engaged],
        })
        .collect();
    let width = bars::width((ctx.env)("COLUMNS"), ctx.io.terminal_width);
    let text = bars::chart(
        &title,
        "campaign",
        &["sent", "delivered", "read", "engaged"],
        &rows,
        width,
    );
    super::report::print(ctx, text.as_bytes())
}

/// When `campaign` was sent, where the vendor's campaign list says (the list of the year up to
/// `now`, or the vendor's own default): for a summary that found no sends in its range. Any
/// failure of that lookup leaves the question open; its diagnostics are not the run's.
async fn sent_at(
    campaigns: &dyn CampaignAnalytics,
    campaign: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let range = time::DateRange::new(now - Duration::days(365), now).ok()?;
    let query = CampaignQuery {
        range: QueryRange {
            range,
            explicit: false,
        },
        campaign_type: None,
        filters: Default::default(),
    };
    info!("looking up when '{campaign}' was sent in the campaign list");
    let silent = crate::log::Sink::new(
        crate::log::QUIET - 1,
        Arc::new(|| Box::new(std::io::sink())),
    );
    crate::log::scope(silent, async {
        let mut pages = campaigns.list_campaigns(&query);
        while let Some(page) = pages.next().await {
            let found = page
                .ok()?
                .decode()
                .ok()?
                .into_iter()
                .find(|c| c.name == campaign || c.id.as_deref() == Some(campaign));
            if let Some(c) = found {
                return c.sent_at;
            }
        }
        None
    })
    .await
}

async fn details(args: DetailsArgs, ctx: &Ctx) -> Result<(), AppError> {
    if ctx.fields_help_for(Operation::CampaignsDetails)? {
        return Ok(());
    }
    let account = ctx.account()?;
    let contacts = ctx.capability_as(
        &account,
        Operation::CampaignsDetails,
        "campaigns details",
        |p| p.contacts(),
    )?;
    check_campaign(&args.campaign)?;
    let query = DetailsQuery {
        range: ctx.range(Operation::CampaignsDetails, &args.range, &account.profile)?,
        campaign_type: args.campaign_type,
        limit: args.limit,
        offset: args.offset,
        page_size: args.page_size,
    };
    let extra = account.provider.extra_fields(Operation::CampaignsDetails);
    ctx.write_stream(
        extra,
        contacts.campaign_details(&args.campaign, &query),
        None,
    )
    .await?;
    Ok(())
}

async fn export(args: ExportArgs, ctx: &Ctx) -> Result<(), AppError> {
    if ctx.fields_help_for(Operation::CampaignsDetails)? {
        return Ok(());
    }
    if ctx.global.output.is_none() {
        return Err(AppError::usage(
            "campaigns export needs -o FILE",
            "name the file to write, e.g. -o contacts.csv (the format follows the extension; CSV by default); to print rows instead, use 'campaigns details'",
        ));
    }
    let lookback = match &args.lookback {
        Some(d) => time::parse_duration(d)?,
        None => Duration::zero(),
    };
    let account = ctx.account()?;
    let contacts = ctx.capability_as(
        &account,
        Operation::CampaignsDetails,
        "campaigns export",
        |p| p.contacts(),
    )?;
    check_campaign(&args.campaign)?;
    let mut range = ctx.resolve_range(&args.range, &account.profile)?;
    let state = match &args.state {
        Some(spec) => {
            let path = state::resolve_path(spec, &*ctx.env)?;
            let file = StateFile::load(&path)?;
            let key = state::key(&account.profile.name, "campaigns export", &args.campaign);
            Some((path, file, key))
        }
        None => None,
    };
    let previous = state
        .as_ref()
        .and_then(|(_, file, key)| file.entries.get(key).cloned());
    let resumes = args.range.from.is_none() && args.range.last.is_none();
    let mut why = String::new();
    if let (Some(entry), true) = (&previous, resumes) {
        range.range.start = entry.completed_until - lookback;
        range.explicit = true;
        if range.range.start >= range.range.end {
            note!(
                "nothing to export: the last run already reached {} (state {})",
                entry
                    .completed_until
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                state
                    .as_ref()
                    .map_or(String::new(), |(p, _, _)| p.display().to_string())
            );
            range.range.start = range.range.end;
        } else {
            why = format!(
                "; resumed from the state: the last run's end minus a lookback of {}s",
                lookback.num_seconds()
            );
        }
    }
    ctx.say_range(
        Operation::CampaignsDetails,
        &range,
        &args.range,
        &account.profile,
        &why,
    )?;
    let query = DetailsQuery {
        range,
        campaign_type: args.campaign_type,
        limit: None,
        offset: 0,
        page_size: args.page_size,
    };
    let extra = account.provider.extra_fields(Operation::CampaignsDetails);
    let Some((path, _, key)) = state else {
        ctx.write_stream(
            extra,
            contacts.campaign_details(&args.campaign, &query),
            Some(Format::Csv),
        )
        .await?;
        return Ok(());
    };
    let margin = previous.as_ref().map_or(&[][..], |e| &e.margin_keys[..]);
    let mut incremental = Incremental::new(margin, query.range.range.end, lookback);
    let rows = if query.range.range.start < query.range.range.end {
        ctx.write_stream_incremental(
            extra,
            contacts.campaign_details(&args.campaign, &query),
            Some(Format::Csv),
            Some(&mut incremental),
        )
        .await?
    } else {
        ctx.write_stream::<ContactRecord>(
            extra,
            futures::stream::empty().boxed(),
            Some(Format::Csv),
        )
        .await?
    };
    if incremental.skipped() > 0 {
        info!(
            "skipped {} row(s) the last run already wrote",
            incremental.skipped()
        );
    }
    // The file is in place: only now may the state move forward. Read again under a lock:
    // profiles of a run over several save their positions into the same file, each its own.
    let _saving = STATE_SAVES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut file = StateFile::load(&path)?;
    file.entries.insert(
        key,
        state::Entry {
            completed_until: query.range.range.end,
            lookback_secs: lookback.num_seconds(),
            margin_keys: incremental.into_margin(),
            rows,
            updated_at: ctx.now,
        },
    );
    file.save(&path)?;
    info!("state saved to {}", path.display());
    Ok(())
}

/// Held while a state file is read, changed and saved.
static STATE_SAVES: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn check_campaign(name: &str) -> Result<(), AppError> {
    if name.trim().is_empty() {
        return Err(AppError::usage(
            "the campaign name is empty",
            "pass the campaign's name as listed by 'wa-analytics campaigns list'",
        ));
    }
    Ok(())
}
