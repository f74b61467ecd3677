//! `campaigns list` from campaign-list (vendors.md Part 1: a 1-based `page` and `per_page` ≤ 100
//! in the body, `meta.current_page/last_page/per_page/total` in the answer). Page 1 comes first;
//! the rest are fetched `concurrency` at a time, in order. Every page is checked against page 1's
//! `meta`, ids must not repeat, and the rows must add up to `total`: anything else is an
//! incomplete result (exit 3), never a silent gap.

use std::collections::HashSet;

use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::FuturesOrdered;

use crate::provider::{
    Campaign, CampaignQuery, ErrorKind, Operation, ProviderError, refuse_filter,
};
use crate::time::DateRange;

use super::client::Endpoint;
use super::records;
use super::wire::{ListMeta, ListPage, ListRequest, Tag, WireCampaign};
use super::{Insider, VENDOR, check_statuses};

/// The largest page campaign-list serves (Part 2 §3.3.5: `per_page` 1–100).
const PER_PAGE: u64 = 100;
/// A fixed order, so pages do not shift between requests: newest first.
const SORT: &str = "createDate|desc";

/// The body of page 1, or the refusal of a filter Insider cannot apply — before any request.
pub(super) fn first_request(query: &CampaignQuery) -> Result<ListRequest, ProviderError> {
    let cmd = Operation::CampaignsList.command();
    let supported = ["--type", "--status", "--name", "--tag", "--account"];
    let f = &query.filters;
    f.refuse_unsupported(VENDOR, cmd, &supported)?;
    let types = match query.campaign_type {
        None => Vec::new(),
        Some(t) => vec![records::type_id(t).ok_or_else(|| {
            refuse_filter(VENDOR, cmd, &format!("--type {}", t.as_str()), &supported).with_hint(
                format!("Insider's campaign types are: {}", records::type_names()),
            )
        })?],
    };
    Ok(ListRequest {
        page: 1,
        per_page: PER_PAGE,
        sort: SORT,
        statuses: check_statuses(&f.statuses)?,
        types,
        name: f.name.clone(),
        tags: f.tags.iter().map(|t| Tag::parse(t)).collect(),
        accounts: f.accounts.clone(),
    })
}

/// The cheapest authenticated request: one campaign of page 1 (`profiles check`).
pub(super) fn probe_request() -> ListRequest {
    ListRequest {
        page: 1,
        per_page: 1,
        sort: SORT,
        statuses: Vec::new(),
        types: Vec::new(),
        name: None,
        tags: Vec::new(),
        accounts: Vec::new(),
    }
}

/// One page as Insider answered it.
struct Page {
    number: u64,
    meta: Option<ListMeta>,
    rows: Vec<WireCampaign>,
    request: String,
}

/// Walks every page of campaign-list.
pub(super) struct ListPager<'a> {
    insider: &'a Insider,
    body: ListRequest,
    /// The user's range, when given: campaign-list takes no dates, so campaigns are kept when
    /// they were sent (or, never sent, created) in it.
    range: Option<DateRange>,
    /// Page 1's `meta` (absent in a tolerated variant: then pages run until a short one).
    meta: Option<ListMeta>,
    next: u64,
    inflight: FuturesOrdered<BoxFuture<'a, Result<Page, ProviderError>>>,
    seen: HashSet<String>,
    received: u64,
    done: bool,
}

impl<'a> ListPager<'a> {
    pub(super) fn new(insider: &'a Insider, body: ListRequest, range: Option<DateRange>) -> Self {
        ListPager {
            insider,
            body,
            range,
            meta: None,
            next: 1,
            inflight: FuturesOrdered::new(),
            seen: HashSet::new(),
            received: 0,
            done: false,
        }
    }

    fn fetch(&self, number: u64) -> BoxFuture<'a, Result<Page, ProviderError>> {
        let insider = self.insider;
        let mut body = self.body.clone();
        body.page = number;
        Box::pin(async move {
            let resp = insider.client.post(Endpoint::CampaignList, &body).await?;
            let page: ListPage = resp.json(VENDOR)?;
            Ok(Page {
                number,
                meta: page.meta,
                rows: page.data,
                request: resp.request_line,
            })
        })
    }

    /// The next non-empty batch of campaigns, `None` at the end.
    pub(super) async fn next_rows(&mut self) -> Result<Option<Vec<Campaign>>, ProviderError> {
        loop {
            if self.done {
                return Ok(None);
            }
            let page = if self.next == 1 {
                self.next = 2;
                self.fetch(1).await?
            } else if let Some(meta) = self.meta {
                while self.inflight.len() < self.insider.client.http.concurrency()
                    && self.next <= meta.last_page
                {
                    let fut = self.fetch(self.next);
                    self.inflight.push_back(fut);
                    self.next += 1;
                }
                match self.inflight.next().await {
                    Some(page) => page?,
                    None => {
                        self.done = true;
                        return Ok(None);
                    }
                }
            } else {
                let number = self.next;
                self.next += 1;
                self.fetch(number).await?
            };
            let rows = self.accept(page)?;
            if !rows.is_empty() {
                return Ok(Some(rows));
            }
        }
    }

    /// Checks a page against page 1 and the rows seen so far, and converts its rows.
    fn accept(&mut self, page: Page) -> Result<Vec<Campaign>, ProviderError> {
        let incomplete = |what: String| {
            ProviderError::new(ErrorKind::Incomplete, VENDOR, what)
                .with_request(page.request.clone())
                .with_hint("the campaign list could not be proven complete (campaigns may have been added or removed while paging); run the command again")
        };
        if page.number == 1 {
            self.meta = page.meta;
        }
        let served = page.rows.len() as u64;
        match (self.meta, page.meta) {
            (Some(first), Some(this)) => {
                if this.total != first.total || this.last_page != first.last_page {
                    return Err(incomplete(format!(
                        "the campaign count changed from {} to {} while paging",
                        first.total, this.total
                    )));
                }
                if this.current_page.is_some_and(|p| p != page.number) {
                    return Err(incomplete(format!(
                        "asked for page {} but Insider answered page {}",
                        page.number,
                        this.current_page.unwrap_or_default()
                    )));
                }
                let per = first.per_page.unwrap_or(self.body.per_page).max(1);
                let expected = if page.number < first.last_page {
                    per
                } else {
                    first
                        .total
                        .saturating_sub(first.last_page.max(1).saturating_sub(1) * per)
                };
                if served != expected {
                    return Err(incomplete(format!(
                        "page {} of {} held {served} campaigns where {expected} were due ({} in all)",
                        page.number, first.last_page, first.total
                    )));
                }
                if page.number >= first.last_page {
                    self.done = self.inflight.is_empty() && self.next > first.last_page;
                }
            }
            (Some(_), None) => {
                return Err(incomplete(format!(
                    "page {} has no meta object, unlike page 1",
                    page.number
                )));
            }
            (None, _) => {
                // No pagination object at all: the last page is the first short one.
                if served < self.body.per_page {
                    self.done = true;
                }
            }
        }
        self.received += served;
        let mut out = Vec::with_capacity(page.rows.len());
        for row in page.rows {
            if !self.seen.insert(row.id.clone()) {
                return Err(incomplete(format!(
                    "campaign {} appeared on two pages",
                    row.id
                )));
            }
            let campaign = row.into_unified();
            let keep = match &self.range {
                None => true,
                Some(r) => campaign
                    .sent_at
                    .or(campaign.created_at)
                    .is_some_and(|t| r.contains(t)),
            };
            if keep {
                out.push(campaign);
            }
        }
        if self.done
            && let Some(first) = self.meta
            && self.received != first.total
        {
            return Err(incomplete(format!(
                "Insider reported {} campaigns but served {}",
                first.total, self.received
            )));
        }
        Ok(out)
    }
}
