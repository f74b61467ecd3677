//! Engage (Aivo / agentbot) campaign analytics: `/campaigns`, `/campaign/{name}/summary`,
//! `/campaign/{name}/details` and `/stats` (seeds/engage.txt; shapes from vendors.md Part 1).

mod client;
mod convert;
mod details;
mod mapping;
mod names;
mod scan;
mod wire;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{Duration, Utc};
use futures::{FutureExt, StreamExt, stream};

use crate::config::Profile;
use crate::http::encode;
use crate::http::{ApiRequest, ApiResponse, HttpOptions};
use crate::provider::reports::{self, collect, summaries_of_list, with_rates};
use crate::provider::{
    Adapter, AnalyticsProvider, Campaign, CampaignAnalytics, CampaignFilters, CampaignQuery,
    CampaignSummary, CampaignType, Capabilities, ContactExport, ContactRecord, DetailsQuery,
    ErrorKind, Operation, ProviderError, RecordStream, StatsBucket, StatsQuery, SummaryQuery,
    Support, Vendor, failed_stream, no_extra_fields, record_stream, refuse_filter,
};
use crate::time::{DateRange, Zone};

use client::EngageClient;
use wire::format_time;

/// The vendor's display name in messages.
const VENDOR: &str = "Engage";

/// "Maximum range of 90 days between from and to" on `/campaign/{name}/details` (seeds/engage.txt).
const DETAILS_MAX_RANGE: Duration = Duration::days(90);

/// "Limit: Maximum of 10,000 records per request" on `/campaign/{name}/details`.
pub const MAX_PAGE_SIZE: u64 = 10_000;

/// Engage as the tool knows it: all four unified analytics commands, natively, with its own
/// rates.
pub const ADAPTER: Adapter = Adapter {
    vendor: Vendor::Engage,
    capabilities: Capabilities {
        operations: &[
            (Operation::CampaignsList, Support::Native),
            (Operation::CampaignsSummary, Support::Native),
            (Operation::CampaignsDetails, Support::Native),
            (Operation::Stats, Support::Native),
            (
                Operation::StatsByCampaign,
                Support::Derived(
                    "each campaign /campaigns lists for the range, summarised over the range by /campaign/{name}/summary",
                ),
            ),
            (
                Operation::StatsTotal,
                Support::Derived("the range's /stats days summed; rates computed from the sums"),
            ),
        ],
        native_rates: true,
        concurrency_limit: None,
    },
    extra_fields: no_extra_fields,
    mapping: mapping::MAPPING,
    request_limit: None,
    default_ranges: &[],
    build: |profile, http| Ok(Arc::new(Engage::new(profile, http)?)),
};

/// The Engage provider.
#[derive(Debug)]
pub struct Engage {
    client: EngageClient,
}

impl Engage {
    /// A provider for an engage profile.
    pub fn new(profile: &Profile, options: &HttpOptions) -> Result<Engage, ProviderError> {
        Ok(Engage {
            client: EngageClient::new(profile, options)?,
        })
    }
}

impl Engage {
    /// The summary of the campaign named exactly `name`.
    async fn summary_of(
        &self,
        name: &str,
        query: &SummaryQuery,
    ) -> Result<CampaignSummary, ProviderError> {
        let path = format!("/campaign/{}/summary", encode::segment(name));
        let resp = self
            .client
            .get(with_range(ApiRequest::get(path), &query.range.range))
            .await?;
        convert::summary(&resp, name)
    }
}

/// `from` and `to` of a half-open window: Engage's `to` is inclusive and in whole seconds, so the
/// window `[start, end)` is asked as `from=start&to=end-1s`; a row stamped exactly on a seam
/// belongs to the later window only.
fn with_range(req: ApiRequest, range: &DateRange) -> ApiRequest {
    req.query("from", format_time(range.start))
        .query("to", format_time(range.end - Duration::seconds(1)))
}

/// Engage filters by execution type only; any other filter is refused (exit 2), never ignored.
fn check_filters(
    command: &str,
    campaign_type: Option<CampaignType>,
    filters: &CampaignFilters,
) -> Result<(), ProviderError> {
    const SUPPORTED: &[&str] = &["--type one-time|recurrent"];
    if let Some(t) = campaign_type.filter(|t| !t.is_execution_type()) {
        let option = format!("--type {}", t.as_str());
        return Err(refuse_filter(VENDOR, command, &option, SUPPORTED));
    }
    filters.refuse_unsupported(VENDOR, command, SUPPORTED)
}

/// Whether `zone`'s days are other than the UTC days Engage's stats are cut in.
fn cuts_other_days(zone: &Zone) -> bool {
    match zone {
        Zone::Fixed(offset) => offset.local_minus_utc() != 0,
        Zone::Named(_) => *zone != Zone::UTC,
    }
}

fn incomplete(resp: &ApiResponse, what: String) -> ProviderError {
    resp.incomplete(
        VENDOR,
        what,
        "the rows could not be proven complete; run the command again (with -o, the previous file was kept)",
    )
}

#[async_trait]
impl AnalyticsProvider for Engage {
    fn vendor(&self) -> Vendor {
        Vendor::Engage
    }

    async fn check_credentials(&self) -> Result<(), ProviderError> {
        let now = Utc::now();
        let range = DateRange {
            start: now - Duration::days(1),
            end: now,
        };
        self.client
            .get(with_range(ApiRequest::get("/campaigns"), &range))
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
}

#[async_trait]
impl CampaignAnalytics for Engage {
    fn list_campaigns<'a>(&'a self, query: &'a CampaignQuery) -> RecordStream<'a, Campaign> {
        if let Err(e) = check_filters(
            Operation::CampaignsList.command(),
            query.campaign_type,
            &query.filters,
        ) {
            return failed_stream(e);
        }
        let page = async move {
            let mut req = with_range(ApiRequest::get("/campaigns"), &query.range.range);
            if let Some(t) = query.campaign_type {
                req = req.query("type", t.as_str());
            }
            let resp = self.client.get(req).await?;
            convert::campaigns(&resp)
        };
        record_stream(stream::once(page))
    }

    async fn campaign_summary(
        &self,
        campaign: &str,
        query: &SummaryQuery,
    ) -> Result<CampaignSummary, ProviderError> {
        // A name as the user typed it: an id from the range's list is asked again by its
        // name; any other name gets the nearest names in its error.
        match self.summary_of(campaign, query).await {
            Err(e) if e.kind == ErrorKind::NotFound => {
                let range = &query.range.range;
                let name = names::after_not_found(&self.client, campaign, range, e).await?;
                self.summary_of(&name, query).await
            }
            answer => answer,
        }
    }

    fn stats<'a>(&'a self, query: &'a StatsQuery) -> RecordStream<'a, StatsBucket> {
        if let Err(e) = check_filters(
            Operation::Stats.command(),
            query.campaign_type,
            &query.filters,
        ) {
            return failed_stream(e);
        }
        if cuts_other_days(&query.zone) {
            crate::info!(
                "{VENDOR}'s stats are UTC days; --tz/the profile's zone {} does not change them",
                query.zone.name()
            );
        }
        let page = async move {
            let mut req = with_range(ApiRequest::get("/stats"), &query.range.range)
                .query("frequency", query.frequency.as_str());
            if let Some(t) = query.campaign_type {
                req = req.query("type", t.as_str());
            }
            let resp = self.client.get(req).await?;
            convert::buckets(&resp, query.frequency)
        };
        record_stream(stream::once(page))
    }

    /// The list, then each campaign's summary by name, `concurrency` at a time.
    fn campaign_summaries<'a>(
        &'a self,
        query: &'a CampaignQuery,
    ) -> RecordStream<'a, CampaignSummary> {
        let summary = SummaryQuery { range: query.range };
        summaries_of_list(
            self.list_campaigns(query),
            self.client.http.concurrency(),
            move |c| {
                let name = c.name.clone();
                let summary = summary.clone();
                // A name from the list itself: a 404 needs no second look at the list.
                async move { self.summary_of(&name, &summary).await }.boxed()
            },
        )
    }

    /// Derived: every campaign's summary over the range (Engage has no per-campaign report).
    fn stats_by_campaign<'a>(&'a self, query: &'a StatsQuery) -> RecordStream<'a, CampaignSummary> {
        if let Err(e) = check_filters(
            Operation::StatsByCampaign.command(),
            query.campaign_type,
            &query.filters,
        ) {
            return failed_stream(e);
        }
        let page = async move {
            let campaigns = CampaignQuery {
                range: query.range,
                campaign_type: query.campaign_type,
                filters: query.filters.clone(),
            };
            collect(self.campaign_summaries(&campaigns)).await
        };
        record_stream(stream::once(page))
    }

    /// Derived: the range's days summed (one `/stats` request); Engage's summaries count
    /// `total` as sent + errors, and so does the total.
    async fn stats_total(&self, query: &StatsQuery) -> Result<CampaignSummary, ProviderError> {
        check_filters(
            Operation::StatsTotal.command(),
            query.campaign_type,
            &query.filters,
        )?;
        let daily = StatsQuery {
            frequency: crate::provider::Frequency::Daily,
            ..query.clone()
        };
        let days = collect(self.stats(&daily)).await?;
        let mut total = reports::total_of_periods(&days);
        total.total = total
            .sent
            .zip(total.errors)
            .map(|(sent, errors)| sent.saturating_add(errors));
        Ok(with_rates(total))
    }
}

impl ContactExport for Engage {
    fn campaign_details<'a>(
        &'a self,
        campaign: &'a str,
        query: &'a DetailsQuery,
    ) -> RecordStream<'a, ContactRecord> {
        let none = CampaignFilters::default();
        if let Err(e) = check_filters("campaigns details", query.campaign_type, &none) {
            return failed_stream(e);
        }
        // A 404 comes with the first page, before any row: an id from the range's list is
        // asked again by its name; any other name gets the nearest names in its error.
        let first_try = async move {
            let (first, rest) = details::stream(&self.client, campaign, query)
                .into_future()
                .await;
            match first {
                Some(Err(e)) if e.kind == ErrorKind::NotFound => {
                    match names::after_not_found(&self.client, campaign, &query.range.range, e)
                        .await
                    {
                        Ok(name) => details::stream(&self.client, &name, query),
                        Err(e) => failed_stream(e),
                    }
                }
                first => stream::iter(first).chain(rest).boxed(),
            }
        };
        stream::once(first_try).flatten().boxed()
    }
}
