//! Engage (Aivo / agentbot) campaign analytics: `/campaigns`, `/campaign/{name}/summary`,
//! `/campaign/{name}/details` and `/stats` (seeds/engage.txt; shapes from vendors.md Part 1).

mod client;
mod mapping;
mod wire;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{Duration, Utc};
use futures::StreamExt;
use futures::stream;

use crate::config::Profile;
use crate::http::encode;
use crate::http::{ApiRequest, ApiResponse, HttpOptions};
use crate::provider::{
    Adapter, AnalyticsProvider, Campaign, CampaignAnalytics, CampaignFilters, CampaignQuery,
    CampaignSummary, CampaignType, Capabilities, ContactExport, ContactRecord, DetailsQuery,
    Operation, Page, ProviderError, RecordStream, StatsBucket, StatsQuery, SummaryQuery, Support,
    Vendor, failed_stream, no_extra_fields, record_stream, refuse_filter,
};
use crate::time::DateRange;

use client::EngageClient;
use wire::{ContactPageSeed, Envelope, WireBucket, WireCampaign, WireSummary, format_time};

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
        ],
        native_rates: true,
        concurrency_limit: None,
    },
    extra_fields: no_extra_fields,
    mapping: mapping::MAPPING,
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
            let body: Envelope<Vec<WireCampaign>> = resp.json(VENDOR)?;
            body.data
                .into_iter()
                .map(|c| c.into_unified().map_err(|e| resp.bad_shape(VENDOR, e)))
                .collect::<Result<Vec<_>, _>>()
        };
        record_stream(stream::once(page))
    }

    async fn campaign_summary(
        &self,
        campaign: &str,
        query: &SummaryQuery,
    ) -> Result<CampaignSummary, ProviderError> {
        let path = format!("/campaign/{}/summary", encode::segment(campaign));
        let resp = self
            .client
            .get(with_range(ApiRequest::get(path), &query.range.range))
            .await?;
        let body: Envelope<WireSummary> = resp.json(VENDOR)?;
        Ok(body.data.into_unified(campaign))
    }

    fn stats<'a>(&'a self, query: &'a StatsQuery) -> RecordStream<'a, StatsBucket> {
        if let Err(e) = check_filters(
            Operation::Stats.command(),
            query.campaign_type,
            &query.filters,
        ) {
            return failed_stream(e);
        }
        let page = async move {
            let mut req = with_range(ApiRequest::get("/stats"), &query.range.range)
                .query("frequency", query.frequency.as_str());
            if let Some(t) = query.campaign_type {
                req = req.query("type", t.as_str());
            }
            let resp = self.client.get(req).await?;
            let body: Envelope<Vec<WireBucket>> = resp.json(VENDOR)?;
            body.data
                .into_iter()
                .map(|b| b.into_unified().map_err(|e| resp.bad_shape(VENDOR, e)))
                .collect::<Result<Vec<_>, _>>()
        };
        record_stream(stream::once(page))
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
        let pager = DetailsPager {
            client: &self.client,
            path: format!("/campaign/{}/details", encode::segment(campaign)),
            query,
            page_size: query
                .page_size
                .unwrap_or(MAX_PAGE_SIZE)
                .clamp(1, MAX_PAGE_SIZE),
        };
        let start = PagerState {
            windows: query
                .range
                .range
                .split(DETAILS_MAX_RANGE)
                .into_iter()
                .collect(),
            skip: query.offset,
            remaining: query.limit,
        };
        let pages = stream::unfold(Some(start), move |state| {
            let pager = pager.clone();
            async move {
                let mut state = state?;
                match pager.next_window(&mut state).await {
                    Ok(Some(pages)) => Some((pages, Some(state))),
                    Ok(None) => None,
                    Err(e) => Some((stream::iter([Err(e)]).boxed(), None)),
                }
            }
        })
        .flatten();
        pages.boxed()
    }
}

/// Walks the details of a campaign: each ≤ 90-day window in turn; in a window, the first page
/// tells the total, and the other pages are then fetched `concurrency` at a time and yielded in
/// order. Every page is checked against the window's total and must hold exactly the rows its
/// `limit`/`offset` promise, so nothing is lost or doubled silently.
#[derive(Clone)]
struct DetailsPager<'a> {
    client: &'a EngageClient,
    path: String,
    query: &'a DetailsQuery,
    page_size: u64,
}

/// Where the walk is: the windows left, and what is left of `--offset` and `--limit` (both apply
/// to the whole result, across windows).
struct PagerState {
    windows: std::collections::VecDeque<DateRange>,
    skip: u64,
    remaining: Option<u64>,
}

/// One page of a window.
struct DecodedPage {
    total: u64,
    rows: Vec<ContactRecord>,
}

type Pages<'a> = RecordStream<'a, ContactRecord>;

impl<'a> DetailsPager<'a> {
    /// The pages of the next window that has rows for this query, or `None` at the end.
    async fn next_window(
        &self,
        state: &mut PagerState,
    ) -> Result<Option<Pages<'a>>, ProviderError> {
        loop {
            if state.remaining == Some(0) {
                return Ok(None);
            }
            let Some(range) = state.windows.pop_front() else {
                return Ok(None);
            };
            let start = state.skip;
            let first_limit = state
                .remaining
                .map_or(self.page_size, |r| r.min(self.page_size));
            let first = self.first_page(range, start, first_limit).await?;
            let total = first.total;
            // What is left of --offset carries over to the next window.
            state.skip -= state.skip.min(total);
            if start >= total {
                continue;
            }
            // The user's --limit ends the walk early; pages otherwise ask for a full page size.
            let limit_end = state
                .remaining
                .map_or(u64::MAX, |r| start.saturating_add(r));
            let end = total.min(limit_end);
            if let Some(r) = &mut state.remaining {
                *r -= end - start;
            }
            crate::progress::expect_rows(end - start);
            let page_size = self.page_size;
            let rest = (start + first_limit..end)
                .step_by(page_size as usize)
                .map(move |offset| (offset, page_size.min(limit_end - offset)));
            let pager = self.clone();
            // Later pages are fetched here and decoded (and checked against the total) by the
            // consumer, on the thread that also writes them out.
            let later = stream::iter(rest)
                .map(move |(offset, limit)| {
                    let pager = pager.clone();
                    async move {
                        let resp = pager.fetch(range, offset, limit).await?;
                        Ok(Page::deferred(move || {
                            decode_page(&resp, range, offset, limit, Some(total)).map(|p| p.rows)
                        }))
                    }
                })
                .buffered(self.client.http.concurrency());
            let first_rows = first.rows;
            return Ok(Some(
                stream::once(async move { Ok(Page::from(first_rows)) })
                    .chain(later)
                    .boxed(),
            ));
        }
    }

    /// The first page of a window: `limit` rows at `offset` of `range`, decoded at once (its
    /// total says what the other pages are).
    async fn first_page(
        &self,
        range: DateRange,
        offset: u64,
        limit: u64,
    ) -> Result<DecodedPage, ProviderError> {
        let resp = self.fetch(range, offset, limit).await?;
        tokio::task::spawn_blocking(move || decode_page(&resp, range, offset, limit, None))
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
    }

    /// The answer for `limit` rows at `offset` of `range`.
    async fn fetch(
        &self,
        range: DateRange,
        offset: u64,
        limit: u64,
    ) -> Result<ApiResponse, ProviderError> {
        let mut req = with_range(ApiRequest::get(self.path.clone()), &range)
            .query("limit", limit.to_string())
            .query("offset", offset.to_string());
        if let Some(t) = self.query.campaign_type {
            req = req.query("type", t.as_str());
        }
        let resp = self.client.get(req).await?;
        crate::progress::page_done();
        Ok(resp)
    }
}

/// Checks and converts one details page: `limit` rows at `offset` of `range`, against the
/// window's total when it is already known.
fn decode_page(
    resp: &ApiResponse,
    range: DateRange,
    offset: u64,
    limit: u64,
    known_total: Option<u64>,
) -> Result<DecodedPage, ProviderError> {
    // A page holds `limit` rows at most; the capacity is only a hint, so a bigger page is still
    // read (and then refused below).
    let seed = ContactPageSeed {
        capacity: usize::try_from(limit)
            .unwrap_or(0)
            .min(MAX_PAGE_SIZE as usize),
    };
    let body = resp.json_seed(VENDOR, seed)?;
    let Some(pagination) = body.pagination else {
        return Err(resp.bad_shape(
            VENDOR,
            "the details page has no pagination object".to_string(),
        ));
    };
    if let Some(echoed) = pagination.offset
        && echoed != offset
    {
        return Err(incomplete(
            resp,
            format!("asked for offset {offset} but Engage answered offset {echoed}"),
        ));
    }
    let total = pagination.total;
    if let Some(before) = known_total
        && before != total
    {
        return Err(incomplete(
            resp,
            format!(
                "the row count of {} changed from {before} to {total} while paging (rows were added or removed during the export)",
                describe(&range)
            ),
        ));
    }
    let served = body.served;
    let expected = limit.min(total.saturating_sub(offset));
    if served != expected {
        let what = if served == 0 {
            format!(
                "Engage reported {total} rows for {} but the page at offset {offset} was empty",
                describe(&range)
            )
        } else {
            format!(
                "Engage served {served} rows at offset {offset} of {} where {expected} were due ({total} in all)",
                describe(&range)
            )
        };
        return Err(incomplete(resp, what));
    }
    if let Some(why) = body.unreadable {
        return Err(resp.bad_shape(VENDOR, why));
    }
    Ok(DecodedPage {
        total,
        rows: body.rows,
    })
}

fn describe(range: &DateRange) -> String {
    format!(
        "the window {} – {}",
        range.start.format("%Y-%m-%d %H:%M:%S"),
        range.end.format("%Y-%m-%d %H:%M:%S")
    )
}
