//! Wolkvox contact-centre reports (vendors.md Part 1 "Wolkvox", Part 2 §4): chat_14 WhatsApp
//! click detail, chat_15 click summary and campaign_9 WhatsApp campaign record status, all from
//! `reports_manager.php`. Campaign details are campaign_9's rows; the campaign list, a campaign's
//! summary and stats are counted from them.

mod clicks;
mod client;
mod derive;
mod mapping;
#[cfg(test)]
mod tests;
mod windows;
mod wire;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{Duration, Utc};
use futures::{StreamExt, stream};

use crate::config::Profile;
use crate::http::HttpOptions;
use crate::output::{FieldDef, FieldKind, Value};
use crate::provider::{
    Adapter, AnalyticsProvider, Campaign, CampaignAnalytics, CampaignQuery, CampaignSummary,
    CampaignType, Capabilities, Click, ClickReports, ClickSummary, ConcurrencyLimit, ContactExport,
    ContactRecord, DetailsQuery, ErrorKind, Operation, ProviderError, QueryRange, RecordStream,
    StatsBucket, StatsQuery, SummaryQuery, Support, Vendor, failed_stream, record_stream,
};
use crate::time::{DateRange, Zone};

use clicks::ClickRow;
use client::WolkvoxClient;
use derive::{CampaignList, Periods, Summaries, Tally};
use serde_json::Value as Json;
use windows::{Walk, plan, records};
use wire::{RecordField, RecordStatus, WireRecord, local_time, unreadable};

/// The vendor's display name in messages.
const VENDOR: &str = "Wolkvox";

/// Requests in flight per token.
const IN_FLIGHT: usize = 1;

/// Wolkvox as the tool knows it: campaign_9 rows natively, the other unified views counted from
/// them, and the click reports.
pub const ADAPTER: Adapter = Adapter {
    vendor: Vendor::Wolkvox,
    capabilities: Capabilities {
        operations: &[
            (
                Operation::CampaignsList,
                Support::Derived(
                    "campaign ids, first send and record counts from campaign_9 record statuses; Wolkvox reports no names or types",
                ),
            ),
            (
                Operation::CampaignsSummary,
                Support::Derived("counted from the campaign's campaign_9 record statuses"),
            ),
            (Operation::CampaignsDetails, Support::Native),
            (
                Operation::Stats,
                Support::Derived("campaign_9 record statuses counted per day or week of sending"),
            ),
            (
                Operation::StatsByCampaign,
                Support::Derived(
                    "campaign_9 record statuses of every campaign (campaign_id=all) counted per campaign",
                ),
            ),
            (
                Operation::StatsTotal,
                Support::Derived(
                    "campaign_9 record statuses of every campaign (campaign_id=all) counted over the range",
                ),
            ),
            (Operation::Clicks, Support::Native),
            (Operation::ClicksSummary, Support::Native),
        ],
        native_rates: false,
        // Part 1: "a second request while one is in flight on the same token is HTTP 403";
        // Part 2 §4.1: "schedule the next API call only after the previous one returns".
        concurrency_limit: Some(ConcurrencyLimit {
            max: IN_FLIGHT,
            why: "Wolkvox allows one request in flight per token",
        }),
    },
    extra_fields,
    mapping: mapping::MAPPING,
    // "call time ≤ 60 s" (vendors.md §4): the server may work a report that long.
    request_limit: Some(std::time::Duration::from_secs(60)),
    default_ranges: &[],
    build: |profile, http| Ok(Arc::new(Wolkvox::new(profile, http)?)),
};

/// Wolkvox's own fields after the common ones.
fn extra_fields(op: Operation) -> Vec<FieldDef> {
    match op {
        Operation::CampaignsList => vec![FieldDef::new(
            "last_sent_at",
            FieldKind::Time,
            "Wolkvox: the last send of the campaign in the range (UTC)",
        )],
        Operation::CampaignsSummary | Operation::StatsByCampaign | Operation::StatsTotal => vec![
            FieldDef::new(
                "accepted",
                FieldKind::Count,
                "Wolkvox: records accepted, delivery not confirmed (Cloud API connectors)",
            ),
            FieldDef::new(
                "submitted",
                FieldKind::Count,
                "Wolkvox: records submitted, delivery not confirmed (Gupshup connectors)",
            ),
            FieldDef::new(
                "other",
                FieldKind::Count,
                "Wolkvox: records with a status this version does not know",
            ),
        ],
        Operation::CampaignsDetails => vec![
            FieldDef::new(
                "campaign_id",
                FieldKind::Text,
                "Wolkvox: the campaign's numeric id",
            ),
            FieldDef::new(
                "vendor_status",
                FieldKind::Text,
                "Wolkvox: the record's status in Wolkvox's words (accepted, submitted, delivered, read, failed)",
            ),
            FieldDef::new(
                "last_update",
                FieldKind::Time,
                "Wolkvox: when the record's status last changed (UTC)",
            ),
        ],
        _ => Vec::new(),
    }
}

/// The Wolkvox provider.
#[derive(Debug)]
pub struct Wolkvox {
    client: WolkvoxClient,
    /// The operation's zone: `date_ini`, `date_end` and the rows' times are its local time.
    zone: Zone,
}

impl Wolkvox {
    /// A provider for a wolkvox profile.
    pub fn new(profile: &Profile, options: &HttpOptions) -> Result<Wolkvox, ProviderError> {
        Ok(Wolkvox {
            client: WolkvoxClient::new(profile, options)?,
            zone: profile.timezone.unwrap_or(Zone::UTC),
        })
    }

    fn walk(&self, api: &'static str, campaign_id: Option<String>, range: DateRange) -> Walk<'_> {
        Walk {
            client: &self.client,
            api,
            campaign_id,
            range,
            zone: self.zone,
        }
    }

    /// Every campaign_9 record of `campaign_id` in the range, as sent.
    fn campaign_records(
        &self,
        campaign_id: String,
        range: DateRange,
    ) -> RecordStream<'_, WireRecord> {
        records(
            self.walk("campaign_9", Some(campaign_id), range),
            0,
            None,
            Ok,
        )
    }
}

fn usage(message: String, hint: &str) -> ProviderError {
    ProviderError::new(ErrorKind::InvalidRequest, VENDOR, message).with_hint(hint)
}

/// campaign_9's `campaign_id`: a numeric id or `all` (Part 2 §4.3).
fn campaign_id(campaign: &str) -> Result<String, ProviderError> {
    let c = campaign.trim();
    if c.eq_ignore_ascii_case("all") {
        return Ok("all".to_string());
    }
    if !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(c.to_string());
    }
    Err(usage(
        format!("Wolkvox addresses campaigns by their numeric id or 'all', not '{campaign}'"),
        "list the ids with 'wa-analytics campaigns list', or pass 'all' for every campaign",
    ))
}

/// campaign_9 rows carry no execution type, so `--type` cannot filter them.
fn no_type(campaign_type: Option<CampaignType>) -> Result<(), ProviderError> {
    match campaign_type {
        None => Ok(()),
        Some(_) => Err(usage(
            "Wolkvox campaign records have no execution type, so --type cannot filter them"
                .to_string(),
            "run the command without --type",
        )),
    }
}

/// What a contact row reads besides its key (`telephone`), and the fields each fills.
const CONTACT_READS: [(RecordField, &str); 5] = [
    (RecordField::CampaignId, "campaign_id"),
    (RecordField::Status, "status and vendor_status"),
    (RecordField::Errors, "error"),
    (RecordField::Date, "sent_at"),
    (RecordField::LastUpdate, "last_update"),
];

/// A campaign_9 row as a contact row: `telephone` exactly as sent, the status in the unified
/// words (the vendor's own in `vendor_status`), `errors` as the error.
fn contact(r: WireRecord, zone: &Zone) -> Result<ContactRecord, ProviderError> {
    const OP: Operation = Operation::CampaignsDetails;
    r.check(OP, &[RecordField::Telephone], &CONTACT_READS)?;
    let time = |field: RecordField| {
        local_time(field.path(), r.get(field), zone).map_err(|why| unreadable(OP, &why, ""))
    };
    let sent_at = time(RecordField::Date)?;
    let last_update = time(RecordField::LastUpdate)?;
    let status = RecordStatus::parse(r.status.as_deref());
    let Some(contact) = r.telephone else {
        let why = format!(
            "a campaign_9 record has an empty {}",
            RecordField::Telephone.path()
        );
        return Err(unreadable(OP, &why, ""));
    };
    Ok(ContactRecord {
        contact,
        name: None,
        status: status.unified().map(str::to_string),
        sent_at,
        delivered_at: None,
        read_at: None,
        engaged: None,
        response: None,
        error: r.errors,
        extra: vec![
            r.campaign_id.map_or(Value::Null, Value::Text),
            r.status.map_or(Value::Null, Value::Text),
            last_update.map_or(Value::Null, Value::Time),
        ],
    })
}

/// Runs `f` over every row of every page of `rows`, stopping at the first error.
async fn each<T>(
    mut rows: RecordStream<'_, T>,
    mut f: impl FnMut(T) -> Result<(), ProviderError>,
) -> Result<(), ProviderError> {
    while let Some(page) = rows.next().await {
        page?.decode()?.into_iter().try_for_each(&mut f)?;
    }
    Ok(())
}

#[async_trait]
impl AnalyticsProvider for Wolkvox {
    fn vendor(&self) -> Vendor {
        Vendor::Wolkvox
    }

    /// chat_15 over the last minute: one small authenticated answer.
    async fn check_credentials(&self) -> Result<(), ProviderError> {
        let now = Utc::now();
        let window = DateRange::new(now - Duration::minutes(1), now)
            .map_err(|e| usage(e.to_string(), "check the system clock"))?;
        self.client
            .report::<Json>("chat_15", None, &window, &self.zone)
            .await
            .map(|_| ())
    }

    fn campaigns(&self) -> Option<&dyn CampaignAnalytics> {
        Some(self)
    }

    fn contacts(&self) -> Option<&dyn ContactExport> {
        Some(self)
    }

    fn raw_api(&self) -> Option<&dyn crate::provider::raw::RawApi> {
        Some(&self.client)
    }

    fn click_reports(&self) -> Option<&dyn ClickReports> {
        Some(self)
    }
}

#[async_trait]
impl CampaignAnalytics for Wolkvox {
    fn list_campaigns<'a>(&'a self, query: &'a CampaignQuery) -> RecordStream<'a, Campaign> {
        let page = async move {
            no_type(query.campaign_type)?;
            query
                .filters
                .refuse_unsupported(VENDOR, Operation::CampaignsList.command(), &[])?;
            let mut list = CampaignList::default();
            let rows = self.campaign_records("all".to_string(), query.range.range);
            each(rows, |r| list.add(&r, &self.zone)).await?;
            Ok(list.into_campaigns())
        };
        record_stream(stream::once(page))
    }

    async fn campaign_summary(
        &self,
        campaign: &str,
        query: &SummaryQuery,
    ) -> Result<CampaignSummary, ProviderError> {
        let id = campaign_id(campaign)?;
        let (tally, seen) = self.tally(id.clone(), query.range.range).await?;
        if seen == 0 && id != "all" {
            // campaign_9 answers an unknown id like a quiet one: "0 records were found".
            let range = &query.range.range;
            return Err(ProviderError::new(
                ErrorKind::NotFound,
                VENDOR,
                format!(
                    "campaign_9 has no records of campaign {id} between {} and {} (Wolkvox does not tell an unknown campaign from one that sent nothing then)",
                    range.start.format("%Y-%m-%d %H:%M:%S UTC"),
                    range.end.format("%Y-%m-%d %H:%M:%S UTC")
                ),
            )
            .with_hint("check the id with 'wa-analytics campaigns list', or widen the range with --from/--to"));
        }
        Ok(tally.into_summary(&id))
    }

    fn stats<'a>(&'a self, query: &'a StatsQuery) -> RecordStream<'a, StatsBucket> {
        let page = async move {
            no_type(query.campaign_type)?;
            query
                .filters
                .refuse_unsupported(VENDOR, Operation::Stats.command(), &[])?;
            let range = query.range.range;
            // Days (weeks from Monday) of --tz, else the profile's zone, else UTC; the records'
            // times are wall-clock times of the operation's zone (the profile's).
            let mut periods = Periods::new(&range, &query.zone, &self.zone, query.frequency);
            let rows = self.campaign_records("all".to_string(), range);
            each(rows, |r| periods.add(&r)).await?;
            Ok(periods.into_buckets())
        };
        record_stream(stream::once(page))
    }

    /// One reading of campaign_9 `all` (the list's requests, no more), counted per campaign:
    /// each row equals that campaign's own summary, in the list's order.
    fn campaign_summaries<'a>(
        &'a self,
        query: &'a CampaignQuery,
    ) -> RecordStream<'a, CampaignSummary> {
        let page = self.summaries(
            Operation::CampaignsSummary,
            query.campaign_type,
            &query.filters,
            query.range.range,
        );
        record_stream(stream::once(page))
    }

    /// Derived: every campaign's summary ([`CampaignAnalytics::campaign_summaries`]).
    fn stats_by_campaign<'a>(&'a self, query: &'a StatsQuery) -> RecordStream<'a, CampaignSummary> {
        let page = self.summaries(
            Operation::StatsByCampaign,
            query.campaign_type,
            &query.filters,
            query.range.range,
        );
        record_stream(stream::once(page))
    }

    /// Derived: the records of every campaign counted over the range, as the summary of `all`
    /// counts them; its sent, delivered, read and errors are the sums of `stats`' periods
    /// (every record is in one period), and it has no id or name (a total of every campaign).
    async fn stats_total(&self, query: &StatsQuery) -> Result<CampaignSummary, ProviderError> {
        no_type(query.campaign_type)?;
        query
            .filters
            .refuse_unsupported(VENDOR, Operation::StatsTotal.command(), &[])?;
        let (tally, _) = self.tally("all".to_string(), query.range.range).await?;
        Ok(CampaignSummary {
            id: None,
            name: None,
            ..tally.into_summary("all")
        })
    }
}

impl Wolkvox {
    /// Every campaign's summary for `op`: campaign_9 `all` over the range (the requests
    /// `campaigns list` makes), counted per campaign, in the list's order.
    async fn summaries(
        &self,
        op: Operation,
        campaign_type: Option<CampaignType>,
        filters: &crate::provider::CampaignFilters,
        range: DateRange,
    ) -> Result<Vec<CampaignSummary>, ProviderError> {
        no_type(campaign_type)?;
        filters.refuse_unsupported(VENDOR, op.command(), &[])?;
        let mut all = Summaries::default();
        let rows = self.campaign_records("all".to_string(), range);
        each(rows, |r| all.add(&r)).await?;
        Ok(all.into_summaries())
    }

    /// The records of `id` (or `all`) in the range counted by status, and how many there were.
    async fn tally(&self, id: String, range: DateRange) -> Result<(Tally, u64), ProviderError> {
        let mut tally = Tally::default();
        let mut seen = 0u64;
        let rows = self.campaign_records(id, range);
        each(rows, |r| {
            // Every count is a status: a record without one cannot be counted.
            r.check(Operation::CampaignsSummary, &[RecordField::Status], &[])?;
            seen += 1;
            tally.add(RecordStatus::parse(r.status.as_deref()));
            Ok(())
        })
        .await?;
        Ok((tally, seen))
    }
}

impl ContactExport for Wolkvox {
    fn campaign_details<'a>(
        &'a self,
        campaign: &'a str,
        query: &'a DetailsQuery,
    ) -> RecordStream<'a, ContactRecord> {
        let checked = campaign_id(campaign).and_then(|id| {
            no_type(query.campaign_type)?;
            match query.page_size {
                Some(_) => Err(usage(
                    "--page-size does not apply to Wolkvox: campaign_9 has no pages; each request returns a whole window of up to 31 days".to_string(),
                    "run the command without --page-size",
                )),
                None => Ok(id),
            }
        });
        match checked {
            Ok(id) => {
                let zone = self.zone;
                let walk = self.walk("campaign_9", Some(id), query.range.range);
                records(walk, query.offset, query.limit, move |r| contact(r, &zone))
            }
            Err(e) => failed_stream(e),
        }
    }
}

#[async_trait]
impl ClickReports for Wolkvox {
    fn clicks<'a>(&'a self, range: &'a QueryRange) -> RecordStream<'a, Click> {
        let zone = self.zone;
        let walk = self.walk("chat_14", None, range.range);
        records(walk, 0, None, move |c: ClickRow| c.into_unified(&zone))
    }

    /// chat_15 per window, summed: the counts of disjoint windows add up.
    async fn click_summary(&self, range: &QueryRange) -> Result<ClickSummary, ProviderError> {
        let zero = Some(0);
        let mut sum = ClickSummary {
            ad_chatbot: zero,
            ad_agents: zero,
            post_chatbot: zero,
            post_agents: zero,
            total_chatbot: zero,
            total_agents: zero,
        };
        for window in plan(&range.range, &self.zone) {
            let page = self
                .client
                .report::<Json>("chat_15", None, &window, &self.zone)
                .await?;
            for row in &page.rows {
                clicks::add(&mut sum, &clicks::totals(row)?);
            }
        }
        Ok(sum)
    }
}
