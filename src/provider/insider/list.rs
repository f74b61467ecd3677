//! `campaigns list` from campaign-list (vendors.md Part 1: a 1-based `page` and `per_page` ≤ 100
//! in the body, `meta.current_page/last_page/per_page/total` in the answer). Page 1 comes first;
//! the rest are fetched `concurrency` at a time, in order ([`paging::walk`]). Every page is checked against page 1's
//! `meta`, ids must not repeat, and the rows must add up to `total`: anything else is an
//! incomplete result (exit 3), never a silent gap.

use std::collections::HashSet;

use futures::future::BoxFuture;

use crate::provider::paging::{self, Step, Then};
use crate::provider::{
    Campaign, CampaignQuery, ErrorKind, Operation, ProviderError, RecordStream, refuse_filter,
};
use crate::time::DateRange;

use super::client::Endpoint;
use super::records;
use super::wire::{ListMeta, ListPage, ListRequest, Tag};
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
    rows: Vec<serde_json::Value>,
    request: String,
}

/// Every page of campaign-list for `body`, as one stream of campaigns.
pub(super) fn pages<'a>(
    insider: &'a Insider,
    body: ListRequest,
    range: Option<DateRange>,
) -> RecordStream<'a, Campaign> {
    let mut checker = Checker {
        per_page: body.per_page,
        range,
        meta: None,
        seen: HashSet::new(),
        received: 0,
    };
    paging::walk(
        [1],
        insider.client.http.concurrency(),
        Box::new(move |number| fetch(insider, body.clone(), number)),
        Box::new(move |number, page| {
            let (rows, last) = checker.accept(page)?;
            let then = match checker.meta {
                _ if last => Then::Stop,
                Some(meta) if number == 1 => Then::plan(2..=meta.last_page),
                Some(_) => Then::Go,
                // No pagination object: one page at a time until a short one.
                None => Then::plan([number + 1]),
            };
            Ok(Step::new(rows, then))
        }),
    )
}

fn fetch(
    insider: &Insider,
    mut body: ListRequest,
    number: u64,
) -> BoxFuture<'_, Result<Page, ProviderError>> {
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

/// What the walk has seen so far.
struct Checker {
    per_page: u64,
    /// The user's range, when given: campaign-list takes no dates, so campaigns are kept when
    /// they were sent (or, never sent, created) in it.
    range: Option<DateRange>,
    /// Page 1's `meta` (absent in a tolerated variant: then pages run until a short one).
    meta: Option<ListMeta>,
    seen: HashSet<String>,
    received: u64,
}

impl Checker {
    /// Checks a page against page 1 and the rows seen so far, and converts its rows.
    /// Whether it was the last page comes with them.
    fn accept(&mut self, page: Page) -> Result<(Vec<Campaign>, bool), ProviderError> {
        let incomplete = |what: String| {
            ProviderError::new(ErrorKind::Incomplete, VENDOR, what)
                .with_request(page.request.clone())
                .with_hint("the campaign list could not be proven complete (campaigns may have been added or removed while paging); run the command again")
        };
        if page.number == 1 {
            self.meta = page.meta;
        }
        let served = page.rows.len() as u64;
        let last = match (self.meta, page.meta) {
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
                let per = first.per_page.unwrap_or(self.per_page).max(1);
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
                page.number >= first.last_page
            }
            (Some(_), None) => {
                return Err(incomplete(format!(
                    "page {} has no meta object, unlike page 1",
                    page.number
                )));
            }
            (None, _) => {
                // No pagination object at all: the last page is the first short one.
                served < self.per_page
            }
        };
        self.received += served;
        let mut out = Vec::with_capacity(page.rows.len());
        for row in &page.rows {
            let campaign = records::campaign(row, &page.request)?;
            let id = campaign.id.clone().unwrap_or_default();
            if !self.seen.insert(id.clone()) {
                return Err(incomplete(format!("campaign {id} appeared on two pages")));
            }
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
        if last
            && let Some(first) = self.meta
            && self.received != first.total
        {
            return Err(incomplete(format!(
                "Insider reported {} campaigns but served {}",
                first.total, self.received
            )));
        }
        Ok((out, last))
    }
}
