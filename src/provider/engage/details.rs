//! `campaigns details` (and `export`): every contact of a campaign, from
//! `/campaign/{name}/details?limit&offset` (seeds/engage.txt, vendors.md Part 1).
//!
//! The range is walked in windows of at most 90 days. In a window the first page tells the
//! total; the other pages are then read `concurrency` at a time ([`paging::walk`]) and taken in
//! order. Every page is checked against its window's total and must hold exactly the rows its
//! `limit`/`offset` promise, so nothing is lost or doubled silently. Later pages are decoded
//! (and checked) by the consumer, on the thread that also writes them out. Each window's first
//! page declares the rows the window counts ([`Page::counting`]), so the writer, which drops rows
//! served twice, can tell when the distinct rows fall short of it (exit 3).

use std::collections::VecDeque;

use super::client::EngageClient;
use super::scan;
use super::wire::ContactPageSeed;
use super::{DETAILS_MAX_RANGE, MAX_PAGE_SIZE, VENDOR, incomplete, with_range};
use crate::http::{ApiRequest, ApiResponse, encode};
use crate::provider::paging::{self, Step, Then};
use crate::provider::{ContactRecord, DetailsQuery, Page, ProviderError, RecordStream};
use crate::time::DateRange;

/// The contacts of `campaign` for `query`, a page at a time.
pub(super) fn stream<'a>(
    client: &'a EngageClient,
    campaign: &str,
    query: &'a DetailsQuery,
) -> RecordStream<'a, ContactRecord> {
    let page_size = query
        .page_size
        .unwrap_or(MAX_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE);
    let mut walk = Walk {
        windows: query.range.range.split(DETAILS_MAX_RANGE).into(),
        skip: query.offset,
        remaining: query.limit,
        page_size,
    };
    let Some(first) = walk.next_window() else {
        return futures::StreamExt::boxed(futures::stream::empty());
    };
    let path = format!("/campaign/{}/details", encode::segment(campaign));
    paging::walk(
        [first],
        client.http.concurrency(),
        Box::new(move |ask: Ask| {
            let req = request(&path, query, &ask);
            Box::pin(async move {
                let resp = client.get(req).await?;
                crate::progress::page_done();
                if ask.total.is_some() {
                    return Ok(Answer::Later(resp));
                }
                // A window's first page is decoded at once (its total says what the other
                // pages are), off the async threads.
                tokio::task::spawn_blocking(move || {
                    decode_page(&resp, ask.range, ask.offset, ask.limit, None).map(Answer::First)
                })
                .await
                .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
            })
        }),
        Box::new(move |ask, answer| match answer {
            Answer::First(first) => Ok(walk.first_page(ask, first)),
            Answer::Later(resp) => {
                let Ask {
                    range,
                    offset,
                    limit,
                    total,
                } = ask;
                Ok(Step::new(
                    Page::deferred(move || {
                        decode_page(&resp, range, offset, limit, total).map(|p| p.rows)
                    }),
                    Then::Go,
                ))
            }
        }),
    )
}

/// One request: `limit` rows at `offset` of `range`; for a window's later pages, the total its
/// first page reported.
#[derive(Debug, Clone, Copy)]
struct Ask {
    range: DateRange,
    offset: u64,
    limit: u64,
    total: Option<u64>,
}

enum Answer {
    /// A window's first page, decoded.
    First(DecodedPage),
    /// A later page, to be decoded by the consumer.
    Later(ApiResponse),
}

fn request(path: &str, query: &DetailsQuery, ask: &Ask) -> ApiRequest {
    let mut req = with_range(ApiRequest::get(path.to_string()), &ask.range)
        .query("limit", ask.limit.to_string())
        .query("offset", ask.offset.to_string());
    if let Some(t) = query.campaign_type {
        req = req.query("type", t.as_str());
    }
    req
}

/// Where the walk is: the windows left, and what is left of `--offset` and `--limit` (both apply
/// to the whole result, across windows).
struct Walk {
    windows: VecDeque<DateRange>,
    skip: u64,
    remaining: Option<u64>,
    page_size: u64,
}

impl Walk {
    /// The first request of the next window, or `None` at the end.
    fn next_window(&mut self) -> Option<Ask> {
        if self.remaining == Some(0) {
            return None;
        }
        let range = self.windows.pop_front()?;
        Some(Ask {
            range,
            offset: self.skip,
            limit: self
                .remaining
                .map_or(self.page_size, |r| r.min(self.page_size)),
            total: None,
        })
    }

    /// A window's first page: its rows, then the window's other pages and the next window.
    fn first_page<'a>(&mut self, ask: Ask, first: DecodedPage) -> Step<'a, Ask, ContactRecord> {
        let (start, total) = (ask.offset, first.total);
        // What is left of --offset carries over to the next window.
        self.skip -= self.skip.min(total);
        if start >= total {
            let next: Vec<Ask> = self.next_window().into_iter().collect();
            return Step::new(first.rows, Then::plan(next));
        }
        // The user's --limit ends the walk early; pages otherwise ask for a full page size.
        let limit_end = self.remaining.map_or(u64::MAX, |r| start.saturating_add(r));
        let end = total.min(limit_end);
        if let Some(r) = &mut self.remaining {
            *r -= end - start;
        }
        crate::progress::expect_rows(end - start);
        let (range, page_size) = (ask.range, self.page_size);
        let rest = (start + ask.limit..end)
            .step_by(page_size as usize)
            .map(move |offset| Ask {
                range,
                offset,
                limit: page_size.min(limit_end - offset),
                total: Some(total),
            });
        let next = self.next_window();
        // What the window counts is what the writer must end up with: pages that shifted or
        // repeated while paging hold the right number of rows but fewer distinct ones.
        let page = Page::from(first.rows).counting(VENDOR, end - start);
        Step::new(page, Then::plan(rest.chain(next)))
    }
}

/// One page of a window.
struct DecodedPage {
    total: u64,
    rows: Vec<ContactRecord>,
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
    let capacity = usize::try_from(limit)
        .unwrap_or(0)
        .min(MAX_PAGE_SIZE as usize);
    // The one-pass reader takes the documented shape; serde_json reads (or refuses, saying why)
    // whatever it leaves.
    let body = match scan::read_page(&resp.body, capacity) {
        Some(page) => page,
        None => resp.json_seed(VENDOR, ContactPageSeed { capacity })?,
    };
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
